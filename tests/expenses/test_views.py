"""Claim pages as users see them: the form, bad input, review, batches, CSV, reports."""

import csv
import io
import itertools
import re
import uuid
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contributors.models import ContributorProfile
from expenses import services
from expenses.models import Claim, ClaimLine, PaymentBatch, Receipt
from expenses.schedule import expected_dates
from projects.models import Meeting, MeetingInvitation
from tests.factories import AdminFactory, ContributorFactory, StaffFactory

from .factories import days_ago, jpeg_bytes, line, make_claim, pdf_bytes

pytestmark = pytest.mark.django_db
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def claim_post(project, lines, token=None, **extra):
    data = {
        "project": project.pk,
        "form_token": str(token or uuid.uuid4()),
        "meeting": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i, values in enumerate(lines):
        for key, value in values.items():
            data[f"lines-{i}-{key}"] = value
    data.update(extra)
    return data


def fare(**overrides):
    values = {
        "kind": "public_transport",
        "date": days_ago(2).isoformat(),
        "description": "Bus to the hospital",
        "amount": "4.20",
        "receipt": SimpleUploadedFile("ticket.jpg", jpeg_bytes(), content_type="image/jpeg"),
    }
    values.update(overrides)
    return values


def hours(**overrides):
    values = {
        "kind": "time_hours",
        "date": days_ago(2).isoformat(),
        "description": "Steering group",
        "quantity": "2",
    }
    values.update(overrides)
    return values


# --- the claim form --------------------------------------------------------------------------


def test_it_sends_a_claim_with_amounts_worked_out_on_the_server(client, member, project):
    client.force_login(member)
    response = client.post(
        reverse("expenses:claim_create"), claim_post(project, [hours(amount="9999"), fare()]), follow=True
    )
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.total == D("59.20")  # 2 x £27.50 + £4.20, whatever the browser sent
    assert claim.receipts.get().content_type == "image/jpeg"
    assert "Your claim for £59.20 is sent." in response.content.decode()


def test_it_saves_a_draft_when_asked(client, member, project):
    client.force_login(member)
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()], save_draft="1"))
    assert Claim.objects.get().status == Claim.Status.DRAFT


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"amount": "-3.00"}, "Enter an amount more than £0."),
        ({"amount": "1500.00"}, "£1500.00 is more than the £1000.00 limit for one line."),
        (
            {"date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "The date is in the future. Claim after the activity has happened.",
        ),
        (
            # Files are made per test (a lambda): an upload read once is empty the next time.
            {"receipt": lambda: SimpleUploadedFile("receipt.pdf", MZ, content_type="application/pdf")},
            "This file is not a JPEG photo, PNG image or PDF.",
        ),
        (
            {"receipt": lambda: SimpleUploadedFile("big.jpg", jpeg_bytes() + b"\x00" * (11 * 1024 * 1024))},
            "This file is 11.0 MB; the most we can take is 10 MB.",
        ),
        ({"amount": ""}, "Enter the amount you paid."),
    ],
)
def test_bad_input_is_explained_other_entries_are_kept_and_nothing_is_saved(
    client, member, project, bad, message
):
    client.force_login(member)
    bad = {key: value() if callable(value) else value for key, value in bad.items()}
    response = client.post(
        reverse("expenses:claim_create"),
        claim_post(project, [hours(description="Kept: steering group"), fare(**bad)]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html.replace("&#x27;", "'")
    assert "Kept: steering group" in html
    assert "data-error-summary" in html
    assert not Claim.objects.exists() and not ClaimLine.objects.exists() and not Receipt.objects.exists()


def test_a_second_submit_of_the_same_form_saves_one_claim(client, member, project):
    client.force_login(member)
    token = uuid.uuid4()
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()], token=token))
    response = client.post(
        reverse("expenses:claim_create"), claim_post(project, [hours()], token=token), follow=True
    )
    assert Claim.objects.count() == 1
    assert "You already sent this form, so your claim was saved once, not twice." in response.content.decode()


def test_an_empty_form_asks_for_a_line(client, member, project):
    client.force_login(member)
    response = client.post(reverse("expenses:claim_create"), claim_post(project, [{}, {}]))
    assert "Add at least one line: what you are claiming for." in response.content.decode()


def test_someone_who_declined_payment_is_told_why_time_is_not_offered(client, member, project):
    ContributorProfile.objects.filter(user=member).update(payment_preference="expenses_only")
    client.force_login(member)
    html = client.get(reverse("expenses:claim_create")).content.decode()
    assert "You chose to decline payment for your time, so you can claim expenses but not time." in html
    assert 'value="time_hours"' not in html
    response = client.post(reverse("expenses:claim_create"), claim_post(project, [hours()]))
    assert "Select a valid choice." in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_for_an_attended_meeting_starts_with_its_time_and_the_usual_journey(
    client, member, project, staff
):
    ContributorProfile.objects.filter(user=member).update(
        usual_travel_mode="car", usual_journey_miles=D("12.5")
    )
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(
        project=project,
        title="Steering group",
        organiser=staff,
        start=start,
        end=start + timedelta(hours=2, minutes=30),
    )
    MeetingInvitation.objects.create(meeting=meeting, contributor=member, attended=True)
    client.force_login(member)
    html = client.get(reverse("expenses:claim_create") + f"?meeting={meeting.pk}").content.decode()
    assert "This claim is for <strong>Steering group</strong>" in html
    assert 'name="lines-0-quantity" value="2.5"' in html
    assert 'name="lines-1-quantity" value="12.5"' in html
    assert '<option value="mileage_car" selected>' in html


def test_a_meeting_not_attended_does_not_prefill(client, member, project, staff):
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(
        project=project, title="Steering group", organiser=staff, start=start, end=start + timedelta(hours=2)
    )
    MeetingInvitation.objects.create(meeting=meeting, contributor=member, attended=False)
    client.force_login(member)
    html = client.get(reverse("expenses:claim_create") + f"?meeting={meeting.pk}").content.decode()
    assert "That meeting is not one your attendance has been recorded for" in html


def test_the_form_works_without_inline_script_and_offers_add_another_line(client, member):
    client.force_login(member)
    html = client.get(reverse("expenses:claim_create")).content.decode()
    assert "<script>" not in html and " onclick=" not in html and 'style="' not in html
    assert "/static/js/expenses.js" in html
    assert 'id="add-claim-line" hidden' in html
    assert 'name="lines-TOTAL_FORMS" value="3"' in html


# --- claim page: status, conversation, review -------------------------------------------------


def test_the_contributor_sees_status_in_words_and_when_to_expect_payment(client, member, project, staff):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff)
    client.force_login(member)
    html = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
    assert "Approved, waiting for payment" in html
    # The payment run is on Thursdays (the default PAYMENT_RUN_DAY), and the bank takes 3 working days.
    run, by = expected_dates(approved_on=timezone.localdate(), today=timezone.localdate())
    assert run.weekday() == 3 and run > timezone.localdate()
    assert (
        f"Approved on {timezone.localdate():%-d %B %Y}. It will be paid in the payment run on "
        f"{run:%A %-d %B %Y}, so expect the money in your account by {by:%A %-d %B %Y}."
    ) in html


def test_a_claim_entered_on_behalf_says_so_to_the_contributor(client, member, project, staff):
    claim = make_claim(member, project, entered_by=staff)
    client.force_login(member)
    html = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
    assert f"Sam Staff on {timezone.localdate():%-d %B %Y}, on behalf of Zoë" in html
    assert "(entered for you by Sam Staff)" in client.get(reverse("expenses:my_claims")).content.decode()


def test_the_reviewer_asks_the_contributor_answers_and_the_conversation_shows(client, member, project, staff):
    claim = make_claim(member, project)
    url = reverse("expenses:claim_detail", args=[claim.pk])
    client.force_login(staff)
    client.post(reverse("expenses:claim_query", args=[claim.pk]), {"comment": "Was this a return fare?"})
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "Question from the reviewer" in html and "Was this a return fare?" in html
    client.post(reverse("expenses:claim_answer", args=[claim.pk]), {"comment": "Yes, there and back."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert "Yes, there and back." in client.get(url).content.decode()


def test_rejecting_without_a_reason_is_refused_with_a_message(client, member, project, staff):
    claim = make_claim(member, project)
    client.force_login(staff)
    response = client.post(
        reverse("expenses:claim_reject", args=[claim.pk]), {"comment": ""}
    )
    assert (
        "Give the reason the claim is not approved; the contributor will see it." in response.content.decode()
    )
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.SUBMITTED


def test_approving_over_budget_warns_then_approves_when_confirmed(client, member, project, staff):
    claim = make_claim(member, project, [line(amount="150.00")])  # travel budget is £100.00
    url = reverse("expenses:claim_detail", args=[claim.pk])
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Approving this claim takes the project over budget." in html
    response = client.post(reverse("expenses:claim_approve", args=[claim.pk]), {"comment": ""})
    html = response.content.decode()
    assert "Travel and other expenses would be £50.00 over its £100.00 budget" in html
    assert "Approve anyway, over budget" in html
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.SUBMITTED
    client.post(
        reverse("expenses:claim_approve", args=[claim.pk]),
        {"comment": "Agreed with the lead", "confirm_over_budget": "True"},
    )
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.APPROVED


def test_late_claims_and_vouchers_are_flagged_to_the_reviewer(client, member, project, staff):
    ContributorProfile.objects.filter(user=member).update(payment_preference="vouchers")
    claim = make_claim(member, project, [line(when=days_ago(120))])
    client.force_login(staff)
    html = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
    assert "some of this claim is for activity more than 90 days before it was sent" in html
    assert "<strong>Vouchers instead of money</strong>" in html
    queue = client.get(reverse("expenses:review_queue")).content.decode()
    assert "Late: over 90 days" in queue and ">Vouchers<" in queue


# --- permissions ------------------------------------------------------------------------------


def _person(kind, project, member, staff):
    return {
        "anonymous": lambda: None,
        "another contributor": ContributorFactory,
        "the claimant": lambda: member,
        "staff outside the project": StaffFactory,
        "project staff": lambda: staff,
        "finance": lambda: StaffFactory(is_finance=True),
        "admin": lambda: AdminFactory(is_finance=False),
    }[kind]()


PEOPLE = [
    "anonymous",
    "another contributor",
    "the claimant",
    "staff outside the project",
    "project staff",
    "finance",
    "admin",
]
MATRIX = {
    # page: expected status for each person in PEOPLE
    "my_claims": [302, 200, 200, 403, 403, 403, 403],
    "claim_create": [302, 200, 200, 403, 403, 403, 403],
    "claim_detail": [302, 404, 200, 404, 200, 200, 200],
    "review_queue": [302, 403, 403, 200, 200, 200, 200],
    "claim_on_behalf": [302, 403, 403, 200, 200, 200, 200],
    "direct_cost": [302, 403, 403, 200, 200, 200, 200],
    "batch_list": [302, 403, 403, 403, 403, 200, 200],
    "batch_detail": [302, 403, 403, 403, 403, 200, 200],
    "batch_csv": [302, 403, 403, 403, 403, 200, 200],
    "yearly_report": [302, 403, 403, 403, 403, 200, 200],
}


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("who", range(len(PEOPLE)), ids=PEOPLE)
def test_permissions_matrix(client, member, project, staff, finance, page, who):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    args = {"claim_detail": [claim.pk], "batch_detail": [batch.pk], "batch_csv": [batch.pk]}.get(page, [])
    person = _person(PEOPLE[who], project, member, staff)
    if person:
        client.force_login(person)
    response = client.get(reverse(f"expenses:{page}", args=args))
    assert response.status_code == MATRIX[page][who]


def test_a_contributor_cannot_review_through_the_page(client, member, project, other_contributor):
    claim = make_claim(member, project)
    client.force_login(member)
    client.post(reverse("expenses:claim_approve", args=[claim.pk]), {"comment": ""})
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.SUBMITTED


# --- review queue -----------------------------------------------------------------------------


_numbers = itertools.count(1)


def _claims(member, project, n, **kw):
    # Each for a different meeting: the same claim twice would be refused as made already.
    return [
        make_claim(
            member, project, [line("time_hours", quantity=1, description=f"Panel {next(_numbers)}")], **kw
        )
        for _ in range(n)
    ]


def test_the_queue_shows_only_the_reviewers_projects_and_filters_them(
    client, member, project, staff, other_staff
):
    from .factories import ProjectFactory, give_role

    mine = _claims(member, project, 2)
    other_project = ProjectFactory(lead=other_staff)
    give_role(contributor=member, project=other_project)
    theirs = make_claim(member, other_project)
    client.force_login(staff)
    html = client.get(reverse("expenses:review_queue")).content.decode()
    assert f"Claim {mine[0].pk}<" in html and f"Claim {theirs.pk}<" not in html
    assert "2 claims found." in html
    services.claim_approve(claim_id=mine[0].pk, actor=staff)
    html = client.get(reverse("expenses:review_queue"), {"status": "approved"}).content.decode()
    assert "1 claim found." in html and f"Claim {mine[0].pk}<" in html
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = client.get(reverse("expenses:review_queue"), {"submitted_after": future}).content.decode()
    assert "0 claims found." in html


def test_the_queue_is_paginated(client, member, project, staff):
    _claims(member, project, 27)
    client.force_login(staff)
    html = client.get(reverse("expenses:review_queue")).content.decode()
    assert "Page 1 of 2" in html and "status=submitted&amp;page=2" in html


def test_the_queue_query_count_does_not_grow_with_claims(
    client, member, project, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    _claims(member, project, 2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("expenses:review_queue")).status_code == 200
    _claims(member, project, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("expenses:review_queue")).status_code == 200


# --- batches, CSV and the yearly report ----------------------------------------------------------


def _approved(member, project, staff, n):
    claims = _claims(member, project, n)
    for claim in claims:
        services.claim_approve(claim_id=claim.pk, actor=staff, confirm_over_budget=True)
    return claims


def test_finance_make_a_batch_download_it_and_mark_it_paid(client, member, project, staff, finance):
    ContributorProfile.objects.filter(user=member).update(payment_preference="vouchers")
    claims = _approved(member, project, staff, 2)
    client.force_login(finance)
    assert (
        "<strong>2</strong> approved claims waiting for payment, £55.00 in all."
        in client.get(reverse("expenses:batch_list")).content.decode()
    )
    response = client.post(reverse("expenses:batch_list"))
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("expenses:batch_detail", args=[batch.pk])

    response = client.get(reverse("expenses:batch_csv", args=[batch.pk]))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    approved_on = timezone.localdate().isoformat()
    assert rows[0] == [
        "claim id",
        "contributor",
        "email",
        "payment preference",
        "project",
        "amount for time",
        "amount for expenses",
        "total",
        "approved on",
    ]
    assert rows[1:] == [
        [
            str(c.pk),
            "Zoë O'Brien",
            member.email,
            "VOUCHERS",
            "Better diabetes care together",
            "27.50",
            "0.00",
            "27.50",
            approved_on,
        ]
        for c in claims
    ]

    response = client.post(
        reverse("expenses:batch_detail", args=[batch.pk]),
        {"reference": "BACS-2026-11", "paid_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert f"Batch {batch.pk} is marked paid; every claim in it is now paid." in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {"paid"}
    client.force_login(member)
    html = client.get(reverse("expenses:my_claims")).content.decode()
    assert f"Paid on {timezone.localdate():%-d %B %Y}." in html


def test_marking_a_batch_paid_in_the_future_is_refused(client, member, project, staff, finance):
    _approved(member, project, staff, 1)
    batch = services.batch_create(actor=finance)
    client.force_login(finance)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("expenses:batch_detail", args=[batch.pk]), {"reference": "X", "paid_on": future}
    )
    assert "The payment date is in the future." in response.content.decode()
    assert PaymentBatch.objects.get().status == "open"


def test_the_batch_page_query_count_does_not_grow_with_claims(
    client, member, project, staff, finance, django_assert_max_num_queries
):
    client.force_login(finance)
    _approved(member, project, staff, 2)
    small = services.batch_create(actor=finance)
    _approved(member, project, staff, 20)
    big = services.batch_create(actor=finance)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("expenses:batch_detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("expenses:batch_detail", args=[big.pk])).status_code == 200
    with django_assert_max_num_queries(10) as listing:
        assert client.get(reverse("expenses:batch_list")).status_code == 200
    for _ in range(5):
        _approved(member, project, staff, 1)
        services.batch_create(actor=finance)
    with django_assert_max_num_queries(len(listing.captured_queries)):
        assert client.get(reverse("expenses:batch_list")).status_code == 200


def test_the_batch_csv_streams_in_chunks(member, project, staff, finance):
    from expenses.selectors import batch_csv_rows

    _approved(member, project, staff, 5)
    batch = services.batch_create(actor=finance)
    rows = batch_csv_rows(batch, chunk_size=2)
    assert next(rows)[0] == "claim id"
    assert len(list(rows)) == 5


def test_the_yearly_report_splits_time_and_expenses_per_contributor(client, member, project, staff, finance):
    claim = make_claim(member, project, [line("time_hours", quantity=2), line(amount="4.20")])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="R", paid_on=timezone.localdate())
    services.direct_cost_record(
        actor=staff,
        contributor=member,
        project=project,
        kind="taxi",
        date=days_ago(1),
        description="Taxi account",
        amount=D("30.00"),
    )
    client.force_login(finance)
    html = client.get(reverse("expenses:yearly_report")).content.decode()
    row = re.search(r"<tr>((?:(?!</tr>).)*Zoë O&#x27;Brien.*?)</tr>", html, re.S).group(1)
    assert [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] == [
        "Zoë O&#x27;Brien", "£55.00", "£4.20", "£59.20"
    ]
    response = client.get(reverse("expenses:yearly_report"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    from core.dates import tax_year_start

    year = tax_year_start(timezone.localdate()).year
    assert rows == [
        ["contributor", "email", "tax year", "paid for time", "reimbursed expenses", "total"],
        ["Zoë O'Brien", member.email, f"{year}-{str(year + 1)[-2:]}", "55.00", "4.20", "59.20"],
    ]


# --- on behalf, direct costs, dashboards -----------------------------------------------------------


def test_staff_enter_a_claim_on_behalf_through_the_page(client, member, project, staff):
    client.force_login(staff)
    data = claim_post(project, [hours()], contributor=member.pk, note="Paper form at the meeting")
    response = client.post(reverse("expenses:claim_on_behalf"), data, follow=True)
    claim = Claim.objects.get()
    assert claim.entered_on_behalf and claim.contributor == member and claim.status == "submitted"
    assert "Someone else must approve it." in response.content.decode()


def test_staff_record_a_cost_paid_directly(client, member, project, staff):
    client.force_login(staff)
    response = client.post(
        reverse("expenses:direct_cost"),
        {
            "contributor": member.pk,
            "project": project.pk,
            "kind": "public_transport",
            "date": days_ago(1).isoformat(),
            "description": "Pre-booked train",
            "amount": "38.40",
            "receipt": SimpleUploadedFile("invoice.pdf", pdf_bytes()),
            "form_token": str(uuid.uuid4()),
        },
        follow=True,
    )
    claim = Claim.objects.get()
    assert claim.organisation_paid and claim.status == "paid" and claim.receipts.count() == 1
    assert (
        "£38.40 paid directly for Zoë is recorded against the project&#x27;s budget."
        in response.content.decode()
    )


def test_dashboards_show_my_claims_and_claims_to_review(client, member, project, staff):
    claim = make_claim(member, project)
    client.force_login(member)
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert f"Claim {claim.pk}: Better diabetes care together</a>, £12.50" in html
    assert "Sent, waiting for review" in html
    assert "Staff review claims, usually within 5 working days." in html
    assert "Approved claims are paid in the payment run every Thursday" in html
    client.force_login(staff)
    html = client.get(reverse("staff_dashboard")).content.decode()
    assert "1 claim waiting, oldest first." in html


def test_the_dashboard_offers_a_claim_for_each_attended_meeting_not_yet_claimed(
    client, member, project, staff
):
    start = timezone.now() - timedelta(days=2)
    meeting = Meeting.objects.create(
        project=project,
        title="Leaflet workshop",
        organiser=staff,
        start=start,
        end=start + timedelta(hours=3),
    )
    MeetingInvitation.objects.create(meeting=meeting, contributor=member, attended=True)
    client.force_login(member)
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert f'href="/claims/new/?meeting={meeting.pk}">claim for this meeting' in html
    response = client.post(
        reverse("expenses:claim_create"), claim_post(project, [hours()], meeting=str(meeting.pk))
    )
    assert response.status_code == 302
    assert Claim.objects.get().meeting == meeting
    assert "claim for this meeting" not in client.get(reverse("contributor_dashboard")).content.decode()


def test_the_contributor_changes_the_lines_of_a_queried_claim_and_receipts_are_kept(
    client, member, project, staff
):
    claim = make_claim(member, project, [line(amount="4.20"), line("time_hours", quantity=1)])
    services.claim_query(claim_id=claim.pk, actor=staff, comment="Was it 2 hours?")
    url = reverse("expenses:claim_edit", args=[claim.pk])
    client.force_login(member)
    html = client.get(url).content.decode()
    assert 'name="lines-INITIAL_FORMS" value="2"' in html
    data = claim_post(project, [fare(receipt=""), hours(quantity="2")])
    data["lines-INITIAL_FORMS"] = "2"
    response = client.post(url, data, follow=True)
    assert "Your changes are saved. Receipts you added before are kept." in response.content.decode()
    claim.refresh_from_db()
    assert claim.total == D("59.20") and claim.status == "queried" and claim.receipts.count() == 1
    services.claim_answer_query(claim_id=claim.pk, actor=member, comment="Yes, two hours; fixed.")


def test_a_sent_claim_cannot_be_changed(client, member, project):
    claim = make_claim(member, project)
    client.force_login(member)
    response = client.get(reverse("expenses:claim_edit", args=[claim.pk]), follow=True)
    assert "This claim is sent, waiting for review, so it cannot be changed." in response.content.decode()
    with pytest.raises(services.ClaimError, match="so it cannot be changed"):
        services.claim_update_lines(claim_id=claim.pk, actor=member, lines=[line()])


def test_nobody_else_can_change_a_claim(client, member, project, staff):
    claim = make_claim(member, project, submit=False)
    client.force_login(staff)
    assert client.get(reverse("expenses:claim_edit", args=[claim.pk])).status_code == 404

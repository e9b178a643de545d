"""One claim, once: Back and Send again, the same paper form entered twice or a cost recorded
twice make one claim; a claim can be withdrawn; who can have a claim; the receipt limit; and
the possible-duplicate flag reviewers see."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimEvent
from projects.models import Meeting, MeetingInvitation, RoleOffer
from tests.factories import ContributorFactory

from .factories import days_ago, give_role, jpeg_bytes, line, make_claim, receipt_pair
from .test_views import claim_post, fare, hours

pytestmark = pytest.mark.django_db


def _fresh_token(client, url=None):
    html = client.get(url or reverse("expenses:claim_create")).content.decode()
    return html.split('name="form_token" value="')[1].split('"')[0]


# --- Back and Send again ------------------------------------------------------------------


def test_back_and_send_again_with_a_fresh_form_makes_one_claim(client, member, project):
    client.force_login(member)
    first = client.post(
        reverse("expenses:claim_create"), claim_post(project, [hours()], token=_fresh_token(client))
    )
    claim = Claim.objects.get()
    # Back: the page is fetched again with a new token, the browser puts the entries back.
    again = client.post(
        reverse("expenses:claim_create"), claim_post(project, [hours()], token=_fresh_token(client)),
        follow=True,
    )
    assert first.status_code == 302 and Claim.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("expenses:claim_detail", args=[claim.pk])
    assert (
        f"You already made this claim (claim {claim.pk}, sent), so it was not made again."
        in again.content.decode()
    )


def test_a_draft_sent_again_from_a_fresh_form_finds_the_draft(client, member, project):
    client.force_login(member)
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()], save_draft="1"))
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()]))
    assert Claim.objects.get().status == Claim.Status.DRAFT


def test_a_different_claim_on_the_same_day_is_made(client, member, project):
    client.force_login(member)
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()]))
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours(description="Workshop")]))
    assert Claim.objects.count() == 2


def test_a_paper_claim_the_contributor_already_sent_is_not_entered_again_by_staff(
    client, member, project, staff
):
    client.force_login(member)
    client.post(reverse("expenses:claim_create"), claim_post(project, [hours()]))
    claim = Claim.objects.get()
    client.force_login(staff)
    response = client.post(
        reverse("expenses:claim_on_behalf"),
        claim_post(project, [hours()], contributor=member.pk),
        follow=True,
    )
    assert Claim.objects.count() == 1
    assert (
        f"This claim is already recorded as claim {claim.pk} for Zoë (sent), so it was not made again."
        in response.content.decode().replace("&#x27;", "'")
    )


def test_a_withdrawn_claim_can_be_made_again(member, project):
    claim = make_claim(member, project)
    services.claim_withdraw(claim_id=claim.pk, actor=member, reason="I sent it with the wrong project.")
    again = make_claim(member, project)
    assert again.pk != claim.pk and again.status == Claim.Status.SUBMITTED


def test_changing_lines_to_match_another_claim_is_refused(member, project, staff):
    first = make_claim(member, project, [line(description="Bus")])
    second = make_claim(member, project, [line(description="Train")])
    services.claim_query(claim_id=second.pk, actor=staff, comment="Bus or train?")
    with pytest.raises(services.ClaimError) as refused:
        services.claim_update_lines(claim_id=second.pk, actor=member, lines=[line(description="Bus")])
    assert refused.value.message.startswith(f"Claim {first.pk} (sent) already has exactly these lines")


def _direct_cost_post(member, project, token):
    return {
        "contributor": member.pk,
        "project": project.pk,
        "kind": "public_transport",
        "date": days_ago(1).isoformat(),
        "description": "Pre-booked train",
        "amount": "38.40",
        "form_token": token,
    }


def test_a_cost_paid_directly_is_recorded_once_whether_posted_twice_or_after_back(
    client, member, project, staff
):
    client.force_login(staff)
    url = reverse("expenses:direct_cost")
    token = _fresh_token(client, url)
    client.post(url, _direct_cost_post(member, project, token))
    client.post(url, _direct_cost_post(member, project, token))  # a double click
    response = client.post(url, _direct_cost_post(member, project, _fresh_token(client, url)), follow=True)
    claim = Claim.objects.get()
    assert claim.organisation_paid and claim.total == D("38.40")
    assert f"This claim is already recorded as claim {claim.pk} for Zoë (paid)" in response.content.decode()


# --- withdrawing --------------------------------------------------------------------------------


def test_a_contributor_withdraws_a_sent_or_queried_claim_with_a_reason(member, project, staff):
    sent = make_claim(member, project, [line(description="Bus")])
    services.claim_withdraw(claim_id=sent.pk, actor=member, reason="  I sent it twice.  ")
    queried = make_claim(member, project, [line(description="Train")])
    services.claim_query(claim_id=queried.pk, actor=staff, comment="Which day?")
    services.claim_withdraw(claim_id=queried.pk, actor=member, reason="Wrong day.")
    expected = ((sent, "I sent it twice.", "submitted"), (queried, "Wrong day.", "queried"))
    for claim, reason, before in expected:
        claim.refresh_from_db()
        assert claim.status == Claim.Status.WITHDRAWN
        event = claim.events.last()
        assert (event.actor, event.from_status, event.to_status, event.comment) == (
            member, before, "withdrawn", reason
        )
    with pytest.raises(services.ClaimError, match="^This claim is withdrawn by the contributor, so it"):
        services.claim_approve(claim_id=sent.pk, actor=staff)


def test_withdrawing_needs_a_reason_the_owner_and_a_claim_not_yet_approved(
    member, project, staff, other_contributor
):
    claim = make_claim(member, project)
    with pytest.raises(services.ClaimError, match="^Say why you are withdrawing the claim"):
        services.claim_withdraw(claim_id=claim.pk, actor=member, reason=" ")
    with pytest.raises(services.ClaimError, match="^Only the person who made this claim can do that."):
        services.claim_withdraw(claim_id=claim.pk, actor=other_contributor, reason="Not mine")
    services.claim_approve(claim_id=claim.pk, actor=staff)
    with pytest.raises(services.ClaimError, match="^This claim is approved, so it cannot be withdrawn."):
        services.claim_withdraw(claim_id=claim.pk, actor=member, reason="Too late")
    assert not ClaimEvent.objects.filter(to_status="withdrawn").exists()


def test_the_claim_page_offers_withdrawing_until_approval(client, member, project, staff):
    claim = make_claim(member, project)
    client.force_login(member)
    url = reverse("expenses:claim_detail", args=[claim.pk])
    assert "Withdraw the claim" in client.get(url).content.decode()
    withdraw = reverse("expenses:claim_withdraw", args=[claim.pk])
    response = client.post(withdraw, {"reason": ""}, follow=True)
    assert "Say why you are withdrawing the claim; the reviewer will see it." in response.content.decode()
    response = client.post(withdraw, {"reason": "I sent it twice."}, follow=True)
    html = response.content.decode()
    assert "Your claim is withdrawn. It will not be paid." in html
    assert "Withdrawn by the contributor" in html and "I sent it twice." in html
    assert "Withdraw the claim" not in html


# --- who can have a claim -------------------------------------------------------------------------


def test_only_people_with_a_role_or_attendance_can_have_a_claim_at_every_door(
    client, project, staff, other_contributor
):
    stranger = other_contributor
    with pytest.raises(services.ClaimError, match="^You can claim only for a project where you hold a role"):
        make_claim(stranger, project)
    message = (
        "Priya Patel holds no role on Better diabetes care together and no attendance at its meetings "
        "is recorded, so a claim cannot be made for them."
    )
    with pytest.raises(services.ClaimError, match=f"^{message}"):
        make_claim(stranger, project, entered_by=staff)
    with pytest.raises(services.ClaimError, match=f"^{message}"):
        services.direct_cost_record(
            actor=staff, contributor=stranger, project=project, kind="taxi", date=days_ago(1),
            description="Taxi", amount=D("10.00"),
        )
    client.force_login(staff)
    response = client.post(
        reverse("expenses:claim_on_behalf"), claim_post(project, [hours()], contributor=stranger.pk)
    )
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_a_draft_cannot_be_sent_once_the_role_has_ended(member, project, staff):
    draft = make_claim(member, project, submit=False)
    queried = make_claim(member, project, [line(description="Bus")])
    services.claim_query(claim_id=queried.pk, actor=staff, comment="Which bus?")
    RoleOffer.objects.filter(contributor=member).update(status=RoleOffer.Status.WITHDRAWN)
    with pytest.raises(services.ClaimError, match="^You no longer hold a role on Better diabetes care"):
        services.claim_submit(claim_id=draft.pk, actor=member)
    assert Claim.objects.get(pk=draft.pk).status == Claim.Status.DRAFT
    # A claim sent while they held the role still goes back with their answer.
    services.claim_answer_query(claim_id=queried.pk, actor=member, comment="The 42.")
    assert Claim.objects.get(pk=queried.pk).status == Claim.Status.SUBMITTED


def _attended(project, staff, person, *, days_ago_=2):
    start = (timezone.now() - timedelta(days=days_ago_)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        project=project, title="Focus group", organiser=staff, start=start, end=start + timedelta(hours=2),
        venue="Room 1",
    )
    MeetingInvitation.objects.create(meeting=meeting, contributor=person, attended=True)
    return meeting


def test_a_one_off_attendee_without_a_role_is_prompted_and_can_claim_for_the_meeting(
    client, project, staff
):
    person = ContributorFactory(name="Fola Focus")
    meeting = _attended(project, staff, person)
    client.force_login(person)
    dashboard = client.get(reverse("contributor_dashboard")).content.decode()
    assert f"?meeting={meeting.pk}" in dashboard
    form = client.get(reverse("expenses:claim_create"), {"meeting": meeting.pk}).content.decode()
    assert f'<option value="{project.pk}" selected>' in form
    day = timezone.localtime(meeting.start).date().isoformat()
    response = client.post(
        reverse("expenses:claim_create"),
        claim_post(project, [hours(date=day, description="Focus group")], meeting=str(meeting.pk)),
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.meeting == meeting and claim.status == "submitted"
    assert f"?meeting={meeting.pk}" not in client.get(reverse("contributor_dashboard")).content.decode()


def test_the_prompt_goes_once_staff_enter_the_claim_and_comes_back_if_it_is_withdrawn(
    client, member, project, staff
):
    meeting = _attended(project, staff, member)
    day = timezone.localtime(meeting.start).date()
    claim = make_claim(member, project, [line("time_hours", quantity=2, when=day)], entered_by=staff)
    client.force_login(member)
    assert f"?meeting={meeting.pk}" not in client.get(reverse("contributor_dashboard")).content.decode()
    services.claim_withdraw(claim_id=claim.pk, actor=staff, reason="Entered on the wrong project.")
    assert f"?meeting={meeting.pk}" in client.get(reverse("contributor_dashboard")).content.decode()


# --- receipts -------------------------------------------------------------------------------------


def test_a_claim_holds_a_limited_number_and_size_of_receipts(member, project, settings):
    settings.CLAIM_MAX_RECEIPTS = 2
    claim = make_claim(member, project, [line(receipts=[receipt_pair(), receipt_pair()])], submit=False)
    with pytest.raises(services.ClaimError) as refused:
        services.receipt_add(
            claim_id=claim.pk, actor=member, upload=receipt_pair()[0], content_type="image/jpeg"
        )
    assert refused.value.message == (
        "A claim can have at most 2 receipts, and this one would have 3. Put several receipts in one "
        "photo or PDF, or make another claim for the rest."
    )
    settings.CLAIM_MAX_RECEIPTS = 20
    settings.CLAIM_MAX_RECEIPTS_MB = 1
    big = SimpleUploadedFile("big.jpg", jpeg_bytes() + b"\x00" * (1024 * 1024), content_type="image/jpeg")
    with pytest.raises(services.ClaimError, match=r"^Receipts on one claim can add up to 1 MB, and these"):
        services.receipt_add(claim_id=claim.pk, actor=member, upload=big, content_type="image/jpeg")
    assert claim.receipts.count() == 2


def test_too_many_receipts_on_a_new_claim_are_explained_on_the_form(client, member, project, settings):
    settings.CLAIM_MAX_RECEIPTS = 1
    client.force_login(member)
    response = client.post(
        reverse("expenses:claim_create"),
        claim_post(project, [fare(), fare(description="Bus home", amount="3.10")]),
    )
    assert "A claim can have at most 1 receipts, and this one would have 2." in response.content.decode()
    assert not Claim.objects.exists()


# --- possible duplicates --------------------------------------------------------------------------


def test_reviewers_see_a_possible_duplicate_on_the_queue_and_the_claim(client, member, project, staff):
    first = make_claim(member, project, [line(amount="12.50", description="Train to the clinic")])
    second = make_claim(
        member, project, [line("time_hours", quantity=1), line(amount="12.50", description="Rail fare")]
    )
    other = make_claim(member, project, [line(amount="9.99", description="Bus")])
    client.force_login(staff)
    html = client.get(reverse("expenses:review_queue")).content.decode()
    rows = {c.pk: html.split(f"Claim {c.pk}</a>")[1].split("</tr>")[0] for c in (first, second, other)}
    assert "Possible duplicate" in rows[first.pk] and "Possible duplicate" in rows[second.pk]
    assert "Possible duplicate" not in rows[other.pk]
    page = client.get(reverse("expenses:claim_detail", args=[second.pk])).content.decode()
    assert "Possible duplicate: the same date, kind and amount is in another claim by Zoë." in page
    assert f'also in <a href="/claims/{first.pk}/">claim {first.pk}</a> (sent, waiting for review).' in page
    # The contributor's own page does not accuse them.
    client.force_login(member)
    own = client.get(reverse("expenses:claim_detail", args=[second.pk])).content.decode()
    assert "Possible duplicate" not in own


def test_a_withdrawn_claim_is_not_a_duplicate(client, member, project, staff):
    first = make_claim(member, project, [line(description="Train")])
    second = make_claim(member, project, [line(description="Rail")])
    services.claim_withdraw(claim_id=first.pk, actor=member, reason="Sent twice")
    client.force_login(staff)
    page = client.get(reverse("expenses:claim_detail", args=[second.pk])).content.decode()
    assert "Possible duplicate" not in page


def test_the_claim_page_query_count_does_not_grow_with_lines_or_duplicates(
    client, member, project, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    small = make_claim(member, project, [line(description="Bus")])
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("expenses:claim_detail", args=[small.pk])).status_code == 200
    for n in range(3):
        make_claim(member, project, [line(description=f"Taxi {n}", amount="7.00")])
    big = make_claim(
        member, project, [line(description=f"Line {n}", amount=str(7 + n)) for n in range(6)]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("expenses:claim_detail", args=[big.pk])).status_code == 200


def test_someone_new_can_claim_once_given_a_role(member, project, staff):
    person = ContributorFactory()
    give_role(contributor=person, project=project)
    assert make_claim(person, project).status == Claim.Status.SUBMITTED


def test_a_receipt_sent_twice_is_kept_once(client, member, project):
    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    client.force_login(member)
    url = reverse("expenses:receipt_add", args=[claim.pk])

    def post():
        photo = SimpleUploadedFile("ticket.jpg", jpeg_bytes(), content_type="image/jpeg")
        return client.post(url, {"line": "", "receipt": photo}, follow=True)

    post()
    assert "This receipt is already on the claim." in post().content.decode()
    assert claim.receipts.count() == 1


def test_a_payment_batch_made_twice_is_made_once(client, member, project, staff, finance):
    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    client.force_login(finance)
    client.post(reverse("expenses:batch_list"))
    response = client.post(reverse("expenses:batch_list"), follow=True)
    assert "There are no approved claims waiting for a payment batch." in response.content.decode()
    assert Claim.objects.get().batch is not None
    from expenses.models import PaymentBatch

    assert PaymentBatch.objects.count() == 1


def test_a_contributor_sending_online_what_staff_entered_from_paper_is_told_so(member, project, staff):
    entered = make_claim(member, project, entered_by=staff)
    with pytest.raises(services.DuplicateSubmission) as refused:
        make_claim(member, project)
    assert refused.value.message == (
        f"This claim is already recorded for you (claim {entered.pk}, entered by Sam Staff; sent), "
        "so it was not made again."
    )

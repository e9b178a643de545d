"""Every allowed and refused change of a claim, through the one service for each."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from contributors.models import ContributorProfile
from expenses import services
from expenses.models import Claim, ClaimEvent, PaymentBatch
from tests.factories import StaffFactory

from .factories import days_ago, line, make_claim, receipt_pair

pytestmark = pytest.mark.django_db
S = Claim.Status


def _snapshot(claim):
    claim.refresh_from_db()
    return (claim.status, claim.approved_at, claim.paid_at, claim.reviewed_by_id, claim.events.count())


def test_it_sends_a_claim_and_records_who_and_when(member, project):
    claim = make_claim(member, project)
    assert claim.status == S.SUBMITTED and claim.submitted_at is not None
    events = list(claim.events.values_list("actor_id", "from_status", "to_status"))
    assert events == [(member.pk, "", "draft"), (member.pk, "draft", "submitted")]
    assert claim.payment_preference == "paid"


def test_it_saves_a_draft_and_sends_it_later(member, project):
    claim = make_claim(member, project, submit=False)
    assert claim.status == S.DRAFT and claim.submitted_at is None
    services.claim_submit(claim_id=claim.pk, actor=member)
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_it_refuses_to_send_a_claim_twice(member, project):
    claim = make_claim(member, project)
    before = _snapshot(claim)
    with pytest.raises(services.ClaimError, match="This claim is sent, so it cannot be sent again."):
        services.claim_submit(claim_id=claim.pk, actor=member)
    assert _snapshot(claim) == before


def test_the_reviewer_queries_and_the_contributor_answers_and_resubmits(member, project, staff):
    claim = make_claim(member, project)
    services.claim_query(claim_id=claim.pk, actor=staff, comment="Which train?")
    claim.refresh_from_db()
    assert claim.status == S.QUERIED and claim.reviewed_by == staff
    services.claim_answer_query(claim_id=claim.pk, actor=member, comment="The 9:15 to Leeds.")
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert list(claim.events.values_list("to_status", "comment"))[-2:] == [
        ("queried", "Which train?"),
        ("submitted", "The 9:15 to Leeds."),
    ]


def test_a_query_needs_a_question_and_an_answer_needs_words(member, project, staff):
    claim = make_claim(member, project)
    with pytest.raises(services.ClaimError, match="Write the question"):
        services.claim_query(claim_id=claim.pk, actor=staff, comment="  ")
    services.claim_query(claim_id=claim.pk, actor=staff, comment="Which train?")
    with pytest.raises(services.ClaimError, match="Write your answer"):
        services.claim_answer_query(claim_id=claim.pk, actor=member, comment="")


def test_it_approves_a_sent_claim(member, project, staff):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff, comment="Thanks")
    claim.refresh_from_db()
    assert claim.status == S.APPROVED and claim.approved_at and claim.reviewed_by == staff
    assert claim.events.last().comment == "Thanks"


@pytest.mark.parametrize("status", [S.DRAFT, S.QUERIED, S.APPROVED, S.REJECTED, S.PAID])
def test_it_refuses_to_approve_a_claim_that_is_not_waiting_for_review(member, project, staff, status):
    claim = make_claim(member, project)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    before = _snapshot(claim)
    with pytest.raises(services.ClaimError, match="so it cannot be approved"):
        services.claim_approve(claim_id=claim.pk, actor=staff)
    assert _snapshot(claim) == before


def test_staff_cannot_approve_their_own_claim(project, staff):
    from .factories import give_role

    give_role(contributor=staff, project=project)
    claim = Claim.objects.create(project=project, contributor=staff, entered_by=staff, status=S.SUBMITTED)
    with pytest.raises(services.ClaimError, match="You cannot approve your own claim."):
        services.claim_approve(claim_id=claim.pk, actor=staff)
    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED


def test_staff_who_entered_a_claim_for_someone_cannot_approve_it(member, project, staff, team_member):
    claim = make_claim(member, project, entered_by=staff)
    assert claim.entered_on_behalf
    with pytest.raises(services.ClaimError, match="someone else must approve it"):
        services.claim_approve(claim_id=claim.pk, actor=staff)
    services.claim_approve(claim_id=claim.pk, actor=team_member)


def test_staff_outside_the_project_cannot_review(member, project, other_staff):
    claim = make_claim(member, project)
    for call in (
        lambda: services.claim_approve(claim_id=claim.pk, actor=other_staff),
        lambda: services.claim_query(claim_id=claim.pk, actor=other_staff, comment="?"),
        lambda: services.claim_reject(claim_id=claim.pk, actor=other_staff, reason="no"),
    ):
        with pytest.raises(services.ClaimError, match="Only the project's staff or finance can review"):
            call()
    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED


def test_a_contributor_cannot_review(member, project, other_contributor):
    claim = make_claim(member, project)
    with pytest.raises(services.ClaimError):
        services.claim_approve(claim_id=claim.pk, actor=member)


def test_finance_can_review_any_project(member, project, finance):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=finance)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED and claim.events.last().actor == finance


def test_rejecting_needs_a_reason_which_the_contributor_sees(member, project, staff):
    claim = make_claim(member, project)
    with pytest.raises(services.ClaimError, match="Give the reason the claim is not approved"):
        services.claim_reject(claim_id=claim.pk, actor=staff, reason=" ")
    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED
    services.claim_reject(claim_id=claim.pk, actor=staff, reason="Already claimed in March.")
    claim.refresh_from_db()
    assert claim.status == S.REJECTED and claim.rejection_reason == "Already claimed in March."


def test_a_queried_claim_can_be_rejected_but_an_approved_one_cannot(member, project, staff):
    queried = make_claim(member, project)
    services.claim_query(claim_id=queried.pk, actor=staff, comment="?")
    services.claim_reject(claim_id=queried.pk, actor=staff, reason="No answer")
    approved = make_claim(member, project)
    services.claim_approve(claim_id=approved.pk, actor=staff)
    with pytest.raises(services.ClaimError, match="This claim is approved, so it cannot be rejected."):
        services.claim_reject(claim_id=approved.pk, actor=staff, reason="Changed my mind")


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.APPROVED, S.REJECTED, S.PAID])
def test_only_a_queried_claim_can_be_answered(member, project, status):
    claim = make_claim(member, project)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(services.ClaimError, match="so it cannot be answered"):
        services.claim_answer_query(claim_id=claim.pk, actor=member, comment="Hello")


def test_someone_else_cannot_send_or_answer_a_contributors_claim(member, project, other_contributor, staff):
    draft = make_claim(member, project, submit=False)
    with pytest.raises(services.ClaimError, match="Only the person who made this claim"):
        services.claim_submit(claim_id=draft.pk, actor=other_contributor)


def test_claims_more_than_90_days_after_the_activity_are_flagged(member, project):
    assert not make_claim(member, project, [line(when=days_ago(90))]).is_late
    assert make_claim(member, project, [line(when=days_ago(91))]).is_late


def test_someone_who_declined_payment_cannot_claim_time_but_can_claim_expenses(member, project):
    ContributorProfile.objects.filter(user=member).update(payment_preference="expenses_only")
    with pytest.raises(services.ClaimError, match="You chose to decline payment for your time"):
        make_claim(member, project, [line("time_hours", quantity=2)])
    assert not Claim.objects.exists()
    claim = make_claim(member, project, [line("mileage_car", quantity=10)])
    assert claim.payment_preference == "expenses_only"


def test_the_payment_preference_is_kept_as_it_was_when_the_claim_was_sent(member, project):
    ContributorProfile.objects.filter(user=member).update(payment_preference="vouchers")
    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    ContributorProfile.objects.filter(user=member).update(payment_preference="paid")
    claim.refresh_from_db()
    assert claim.payment_preference == "vouchers"


def test_receipts_are_needed_for_costs_but_not_time_or_mileage(member, project):
    with pytest.raises(services.ClaimError, match=r"Line 1 \(taxi\) needs a receipt"):
        make_claim(member, project, [line("taxi", receipts=[])])
    assert not Claim.objects.exists()
    claim = make_claim(member, project, [line("time_hours", quantity=1), line("mileage_bicycle", quantity=3)])
    assert claim.status == S.SUBMITTED


def test_a_draft_without_a_receipt_can_be_sent_once_one_is_added(member, project):
    draft = make_claim(member, project, [line("parking", receipts=[])], submit=False)
    with pytest.raises(services.ClaimError, match="needs a receipt"):
        services.claim_submit(claim_id=draft.pk, actor=member)
    upload, content_type = receipt_pair()
    services.receipt_add(
        claim_id=draft.pk, actor=member, upload=upload, content_type=content_type,
        line_id=draft.lines.get().pk,
    )
    services.claim_submit(claim_id=draft.pk, actor=member)


def test_bad_lines_are_refused_and_nothing_is_saved(member, project, settings):
    cases = [
        ([line(when=timezone.localdate() + timedelta(days=1))], "the date is in the future"),
        ([line(amount="-5")], "enter the amount you paid, more than £0"),
        ([line(amount="1000.01")], "more than the £1000.00 limit for one line"),
        ([line("time_day", quantity=20)], "more than the £1000.00 limit for one line"),
        ([line("mileage_car", quantity=0)], "more than 0"),
        ([], "Add at least one line"),
    ]
    for lines, message in cases:
        with pytest.raises(services.ClaimError, match=message):
            services.claim_create(contributor=member, project=project, actor=member, lines=lines)
    assert not Claim.objects.exists()


def test_a_contributor_can_claim_only_where_they_hold_a_role(project, other_contributor):
    with pytest.raises(services.ClaimError, match="You can claim only for a project where you hold a role."):
        make_claim(other_contributor, project)


def test_the_same_form_sent_twice_makes_one_claim(member, project):
    import uuid

    token = uuid.uuid4()
    first = services.claim_create(
        contributor=member, project=project, actor=member, lines=[line()], form_token=token
    )
    with pytest.raises(services.DuplicateSubmission) as raised:
        services.claim_create(
            contributor=member, project=project, actor=member, lines=[line()], form_token=token
        )
    assert raised.value.claim == first
    assert raised.value.message == "You already sent this form, so your claim was saved once, not twice."
    assert Claim.objects.count() == 1


def test_only_a_draft_can_be_deleted(member, project):
    draft = make_claim(member, project, submit=False)
    services.claim_delete_draft(claim_id=draft.pk, actor=member)
    sent = make_claim(member, project)
    with pytest.raises(services.ClaimError, match="so it cannot be deleted"):
        services.claim_delete_draft(claim_id=sent.pk, actor=member)


# --- budgets ------------------------------------------------------------------------------


def test_approving_over_budget_warns_first_and_changes_nothing(member, project, staff):
    # The travel line's budget is £100.00.
    earlier = make_claim(member, project, [line(amount="60.00")])
    services.claim_approve(claim_id=earlier.pk, actor=staff)
    claim = make_claim(member, project, [line(amount="50.00")])
    before = _snapshot(claim)
    with pytest.raises(services.OverBudget) as raised:
        services.claim_approve(claim_id=claim.pk, actor=staff)
    assert raised.value.message == (
        "Approving this claim takes the project over budget: Travel and other expenses would be £10.00 "
        "over its £100.00 budget. Approve anyway only if the extra spending is agreed."
    )
    assert raised.value.overruns[0]["spent"] == D("60.00")
    assert _snapshot(claim) == before
    services.claim_approve(claim_id=claim.pk, actor=staff, confirm_over_budget=True)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
    assert "Approved over budget after a warning." in claim.events.last().comment


def test_a_claim_exactly_at_the_budget_needs_no_warning(member, project, staff):
    claim = make_claim(member, project, [line(amount="100.00")])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
    assert "over budget" not in claim.events.last().comment


def test_paid_claims_count_towards_the_budget_but_rejected_ones_do_not(member, project, staff, finance):
    from expenses.selectors import spend_by_budget_line

    paid = make_claim(member, project, [line(amount="70.00")])
    services.claim_approve(claim_id=paid.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="BACS1", paid_on=days_ago(0))
    rejected = make_claim(member, project, [line(amount="90.00")])
    services.claim_reject(claim_id=rejected.pk, actor=staff, reason="Duplicate")
    approved = make_claim(member, project, [line("time_hours", quantity=2)])
    services.claim_approve(claim_id=approved.pk, actor=staff)
    travel = project.budget_lines.get(kind="travel")
    time = project.budget_lines.get(kind="time")
    assert spend_by_budget_line(project_ids=[project.pk]) == {
        travel.pk: {"approved": D("0.00"), "paid": D("70.00")},
        time.pk: {"approved": D("55.00"), "paid": D("0.00")},  # 2 hours at £27.50
    }
    claim = make_claim(member, project, [line(amount="40.00")])
    with pytest.raises(services.OverBudget):
        services.claim_approve(claim_id=claim.pk, actor=staff)


# --- payment batches --------------------------------------------------------------------------


def test_a_batch_takes_approved_claims_and_marking_it_paid_pays_each(member, project, staff, finance):
    a = make_claim(member, project, [line(description="Train to the clinic")])
    b = make_claim(member, project, [line(description="Train to the workshop")])
    waiting = make_claim(member, project, [line(description="Train to the panel")])
    services.claim_approve(claim_id=a.pk, actor=staff)
    services.claim_approve(claim_id=b.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    assert set(batch.claims.values_list("pk", flat=True)) == {a.pk, b.pk}
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="BACS-77", paid_on=days_ago(0))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID and batch.reference == "BACS-77"
    for claim in (a, b):
        claim.refresh_from_db()
        assert claim.status == S.PAID and claim.paid_at
        event = claim.events.last()
        assert (event.actor, event.from_status, event.to_status) == (finance, "approved", "paid")
        assert "reference BACS-77" in event.comment
    assert Claim.objects.get(pk=waiting.pk).status == S.SUBMITTED


def test_a_batch_cannot_be_paid_twice_or_in_the_future_or_without_a_reference(
    member, project, staff, finance
):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    with pytest.raises(services.ClaimError, match="Enter the payment reference"):
        services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference=" ", paid_on=days_ago(0))
    with pytest.raises(services.ClaimError, match="The payment date is in the future"):
        services.batch_mark_paid(
            batch_id=batch.pk, actor=finance, reference="X", paid_on=timezone.localdate() + timedelta(days=1)
        )
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="X", paid_on=days_ago(0))
    with pytest.raises(services.ClaimError, match="This batch was already marked paid on"):
        services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="Y", paid_on=days_ago(0))
    assert ClaimEvent.objects.filter(claim=claim, to_status="paid").count() == 1


def test_only_finance_makes_and_pays_batches(member, project, staff):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff)
    with pytest.raises(services.ClaimError, match="Only finance staff can do this."):
        services.batch_create(actor=staff)
    assert not PaymentBatch.objects.exists()


def test_there_must_be_approved_claims_to_make_a_batch(finance):
    with pytest.raises(services.ClaimError, match="There are no approved claims waiting"):
        services.batch_create(actor=finance)


def test_a_claim_taken_out_of_a_batch_waits_for_the_next(member, project, staff, finance):
    claim = make_claim(member, project)
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_remove_claim(batch_id=batch.pk, claim_id=claim.pk, actor=finance)
    assert services.batch_create(actor=finance).claims.get() == claim


# --- on behalf and direct costs ---------------------------------------------------------------


def test_staff_enter_a_claim_on_behalf_which_is_recorded(member, project, staff):
    claim = make_claim(member, project, entered_by=staff)
    assert claim.entered_on_behalf and claim.entered_by == staff and claim.contributor == member
    assert claim.events.first().comment.startswith("Entered by staff on behalf of the contributor.")


def test_staff_can_enter_claims_only_for_projects_they_manage(member, project, other_staff):
    with pytest.raises(services.ClaimError, match="only for projects you manage"):
        make_claim(member, project, entered_by=other_staff)


def test_a_direct_cost_counts_against_the_budget_and_is_never_batched(member, project, staff, finance):
    from expenses.selectors import spend_by_budget_line

    claim = services.direct_cost_record(
        actor=staff,
        contributor=member,
        project=project,
        kind="public_transport",
        date=days_ago(3),
        description="Pre-booked return train",
        amount=D("42.10"),
    )
    assert claim.status == S.PAID and claim.organisation_paid and claim.total == D("42.10")
    travel = project.budget_lines.get(kind="travel")
    assert spend_by_budget_line(project_ids=[project.pk])[travel.pk]["paid"] == D("42.10")
    with pytest.raises(services.ClaimError, match="There are no approved claims"):
        services.batch_create(actor=finance)


def test_a_direct_cost_cannot_be_time(member, project, staff):
    with pytest.raises(services.ClaimError, match="not time or mileage"):
        services.direct_cost_record(
            actor=staff,
            contributor=member,
            project=project,
            kind="time_day",
            date=days_ago(3),
            description="x",
            amount=D("1"),
        )


def test_staff_outside_the_project_cannot_record_direct_costs(member, project, other_staff):
    other = StaffFactory()
    for person in (other_staff, other):
        with pytest.raises(services.ClaimError, match="only for projects you manage"):
            services.direct_cost_record(
                actor=person,
                contributor=member,
                project=project,
                kind="taxi",
                date=days_ago(3),
                description="x",
                amount=D("1"),
            )

"""The contributor is told when their claim is queried (with the question), not approved (with
the reason) and approved (with when to expect the money): once each, by their chosen channel."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimLine, Receipt
from expenses.schedule import expected_dates
from reminders.models import ReminderSent, ReminderSetting, StaffTask

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(contributor):
    claim = ClaimFactory(contributor=contributor, total="42.50", submitted_at=timezone.now())
    ClaimLine.objects.create(
        claim=claim, kind="parking", date=timezone.localdate() - timedelta(days=2),
        description="Car park", amount="42.50",
    )
    Receipt.objects.create(
        claim=claim, file="receipts/x.jpg", original_name="x.jpg", content_type="image/jpeg", size=10,
        uploaded_by=contributor,
    )
    return claim


@pytest.fixture
def later(scan):
    """The scan a quarter of an hour after the reviewer acted, as beat runs it."""

    def run():
        return scan(timezone.now() + timedelta(minutes=15))

    return run


def test_a_question_reaches_the_contributor_once_with_the_question(later, claim, contributor):
    services.claim_query(claim_id=claim.pk, actor=claim.project.lead, comment="Which bus did you take?")

    first, second = later(), later()  # call it twice: one message

    assert first["claim_queried"] == 1 and second["claim_queried"] == 0
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == f"A question about your claim for {claim.project.title}"
    assert "The question: Which bus did you take?" in message.body
    assert f"Answer it here: https://coproduction.example.org/claims/{claim.pk}/" in message.body
    assert "Which bus did you take?" in message.alternatives[0][0]


def test_a_question_already_answered_is_not_sent_and_a_second_question_is(later, claim):
    lead = claim.project.lead
    services.claim_query(claim_id=claim.pk, actor=lead, comment="Which bus?")
    services.claim_answer_query(claim_id=claim.pk, actor=claim.contributor, comment="The 42.")
    assert later()["claim_queried"] == 0
    services.claim_query(claim_id=claim.pk, actor=lead, comment="And the way back?")
    assert later()["claim_queried"] == 1
    (message,) = mail.outbox
    assert "The question: And the way back?" in message.body


def test_a_claim_not_approved_is_explained_once(later, claim, contributor):
    services.claim_reject(claim_id=claim.pk, actor=claim.project.lead, reason="This was claimed in March.")

    assert later()["claim_rejected"] == 1 and later()["claim_rejected"] == 0
    (message,) = mail.outbox
    assert message.subject == f"Your claim for {claim.project.title} was not approved"
    assert "The reason: This was claimed in March." in message.body


def test_an_approved_claim_says_when_the_money_comes_from_the_payment_schedule(later, claim, settings):
    settings.PAYMENT_SCHEDULE = {"weekday": 1, "every": "weekly", "first": None, "days_to_bank": 2}
    services.claim_approve(claim_id=claim.pk, actor=claim.project.lead)
    run, by = expected_dates(approved_on=timezone.localdate(), today=timezone.localdate())
    assert run.weekday() == 1  # a Tuesday, as finance set it

    assert later()["claim_approved"] == 1 and later()["claim_approved"] == 0
    (message,) = mail.outbox
    assert message.subject == f"Your claim for {claim.project.title} is approved"
    assert f"Paid in the payment run on: {run:%A} {run.day} {run:%B %Y}" in message.body
    assert f"In your account by: {by:%A} {by.day} {by:%B %Y}" in message.body
    assert "Approved claims are paid in the payment run every Tuesday" in message.body


def test_an_approved_claim_already_paid_gets_the_paid_message_only(later, claim, contributor):
    from tests.factories import StaffFactory

    finance = StaffFactory(is_finance=True)
    services.claim_approve(claim_id=claim.pk, actor=claim.project.lead)
    batch = services.batch_create(actor=finance)
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="R", paid_on=timezone.localdate())

    counts = later()

    assert counts["claim_approved"] == 0 and counts["claim_paid"] == 1
    (message,) = mail.outbox
    assert f"Paid on: {timezone.localdate():%A} {timezone.localdate().day}" in message.body


def test_a_contributor_who_wants_a_phone_call_gives_the_reviewer_a_task(later, claim, contributor):
    contributor.profile.contact_method = "phone"
    contributor.profile.phone = "07700 900123"
    contributor.profile.save()
    reviewer = claim.project.lead
    services.claim_query(claim_id=claim.pk, actor=reviewer, comment="Which bus?")

    assert later()["claim_queried"] == 1 and later()["claim_queried"] == 0

    assert mail.outbox == []
    task = StaffTask.objects.get()
    assert task.assigned_to == reviewer and task.contributor == contributor
    assert task.text == (
        f"Call Zoë O'Brien (07700 900123) to ask the reviewer's question about their claim {claim.pk} "
        f"(£42.50) for '{claim.project.title}': “Which bus?”"
    )
    assert ReminderSent.objects.get().channel == ReminderSent.Channel.STAFF_TASK


def test_each_kind_can_be_switched_off(later, claim):
    ReminderSetting.objects.filter(kind="claim_rejected").update(enabled=False)
    services.claim_reject(claim_id=claim.pk, actor=claim.project.lead, reason="Duplicate")
    assert later()["claim_rejected"] == 0 and mail.outbox == []


def test_costs_paid_directly_tell_nobody(later):
    ClaimFactory(status=Claim.Status.APPROVED, organisation_paid=True)
    counts = later()
    assert counts["claim_approved"] == counts["claim_queried"] == counts["claim_rejected"] == 0

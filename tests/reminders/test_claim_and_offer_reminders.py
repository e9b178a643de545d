"""Claims (prompt, waiting for review, not paid, paid) and role offers left unanswered."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from expenses.models import Claim, ClaimLine
from tests.factories import AdminFactory, ContributorFactory, StaffFactory

from .conftest import NOW
from .factories import ClaimFactory, InvitationFactory, MeetingFactory, ProjectFactory, RoleOfferFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def days_ago(days, hour=14):
    day = NOW.date() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def only(counts, kind):
    return {k: v for k, v in counts.items() if v} == ({kind: counts[kind]} if counts[kind] else {})


# --- attended but no claim ---------------------------------------------------------------
def test_it_prompts_a_contributor_to_claim_three_days_after_a_meeting_they_attended(scan, contributor):
    meeting = MeetingFactory(start=days_ago(3))
    InvitationFactory(meeting=meeting, contributor=contributor, attended=True)

    counts = scan()

    assert counts["claim_prompt"] == 1
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == "You can claim for Steering group"
    assert "Thank you for coming to the meeting." in message.body
    assert f"Make a claim: https://coproduction.example.org/claims/new/?meeting={meeting.pk}" in message.body


def test_it_does_not_prompt_two_days_after(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=days_ago(2)), contributor=contributor, attended=True)

    assert scan()["claim_prompt"] == 0


def test_it_does_not_prompt_someone_who_did_not_attend_or_whose_attendance_is_not_recorded(scan):
    meeting = MeetingFactory(start=days_ago(4))
    InvitationFactory(meeting=meeting, attended=False)
    InvitationFactory(meeting=meeting, attended=None)

    assert scan()["claim_prompt"] == 0


def test_it_does_not_prompt_someone_who_has_claimed_for_the_meeting(scan, contributor):
    meeting = MeetingFactory(start=days_ago(4))
    InvitationFactory(meeting=meeting, contributor=contributor, attended=True)
    ClaimFactory(project=meeting.project, meeting=meeting, contributor=contributor, status=Claim.Status.DRAFT)

    assert scan()["claim_prompt"] == 0


@pytest.mark.parametrize(("status", "prompted"), [("submitted", 0), ("withdrawn", 1)])
def test_a_claim_with_a_line_on_the_meeting_day_counts_unless_withdrawn(scan, contributor, status, prompted):
    """Staff entered the claim for them, or they claimed without "claim for this meeting"."""
    meeting = MeetingFactory(start=days_ago(4))
    InvitationFactory(meeting=meeting, contributor=contributor, attended=True)
    claim = ClaimFactory(
        project=meeting.project, contributor=contributor, entered_by=meeting.project.lead, status=status
    )
    ClaimLine.objects.create(
        claim=claim, kind="taxi", date=days_ago(4).date(), description="Taxi", amount="9"
    )

    assert scan()["claim_prompt"] == prompted


def test_it_does_not_prompt_someone_who_declined_payment_and_has_nothing_to_claim(scan, contributor):
    contributor.profile.payment_preference = "expenses_only"
    contributor.profile.save()
    online = MeetingFactory(start=days_ago(4), venue="")
    InvitationFactory(meeting=online, contributor=contributor, attended=True)

    assert scan()["claim_prompt"] == 0


def test_it_still_prompts_someone_who_declined_payment_but_travelled_to_the_meeting(scan, contributor):
    contributor.profile.payment_preference = "expenses_only"
    contributor.profile.usual_travel_mode = "public_transport"
    contributor.profile.save()
    InvitationFactory(meeting=MeetingFactory(start=days_ago(4)), contributor=contributor, attended=True)

    assert scan()["claim_prompt"] == 1


# --- waiting for review ------------------------------------------------------------------
def test_a_claim_waiting_more_than_five_working_days_goes_to_the_projects_reviewers(scan):
    project = ProjectFactory()
    teammate, outsider = StaffFactory(), StaffFactory()
    project.team.add(teammate)
    # Sent Wednesday 25 November at 08:00; five working days later is Wednesday 2 December.
    claim = ClaimFactory(project=project, submitted_at=datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))

    counts = scan()

    assert counts["claim_waiting_review"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([project.lead.email, teammate.email])
    assert outsider.email not in {m.to[0] for m in mail.outbox}
    assert mail.outbox[0].subject == f"A claim from {claim.contributor.display_name} is waiting for review"
    assert "Total: £42.50" in mail.outbox[0].body


def test_a_claim_sent_four_working_days_ago_is_not_reminded_weekends_do_not_count(scan):
    # Sent Friday 27 November at 10:00: Mon, Tue, Wed (09:00) is under five working days.
    ClaimFactory(submitted_at=datetime(2026, 11, 27, 10, 0, tzinfo=LONDON))

    assert scan()["claim_waiting_review"] == 0


def test_a_reviewed_claim_is_not_reminded(scan):
    ClaimFactory(status=Claim.Status.QUERIED, submitted_at=days_ago(20))

    assert scan()["claim_waiting_review"] == 0


# --- approved but not paid, and paid --------------------------------------------------------
def test_an_approved_claim_not_paid_after_ten_working_days_goes_to_finance(scan, admin_user):
    finance = StaffFactory(is_finance=True)
    StaffFactory()  # not finance
    # Approved Wednesday 18 November 08:00: ten working days later is Wednesday 2 December.
    ClaimFactory(status=Claim.Status.APPROVED, approved_at=datetime(2026, 11, 18, 8, 0, tzinfo=LONDON))

    counts = scan()

    assert counts["claim_not_paid"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([finance.email, admin_user.email])
    assert "Approved on: Wednesday 18 November 2026" in mail.outbox[0].body


def test_an_approved_claim_is_not_chased_after_nine_working_days(scan):
    AdminFactory()
    ClaimFactory(status=Claim.Status.APPROVED, approved_at=datetime(2026, 11, 19, 10, 0, tzinfo=LONDON))

    assert scan()["claim_not_paid"] == 0


def test_the_contributor_is_told_when_their_claim_has_been_paid_once(scan, contributor):
    ClaimFactory(contributor=contributor, status=Claim.Status.PAID, paid_at=NOW - timedelta(hours=1))
    ClaimFactory(status=Claim.Status.APPROVED, approved_at=NOW - timedelta(hours=1))

    first = scan()
    second = scan(NOW + timedelta(days=1))

    assert first["claim_paid"] == 1 and second["claim_paid"] == 0
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == "Your claim has been paid"
    assert "Amount: £42.50" in message.body
    claim = Claim.objects.get(contributor=contributor)
    assert f"See the claim: https://coproduction.example.org/claims/{claim.pk}/" in message.body


def test_nobody_is_told_about_a_cost_the_organisation_paid_directly(scan):
    ClaimFactory(status=Claim.Status.PAID, paid_at=NOW - timedelta(hours=1), organisation_paid=True)

    assert scan()["claim_paid"] == 0


# --- role offers ------------------------------------------------------------------------
def test_an_offer_unanswered_for_seven_days_reminds_the_contributor(scan, contributor):
    offer = RoleOfferFactory(contributor=contributor, offered_at=NOW - timedelta(days=7))
    RoleOfferFactory(offered_at=NOW - timedelta(days=6))

    counts = scan()

    assert counts["offer_unanswered_contributor"] == 1
    assert counts["offer_unanswered_staff"] == 0
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == f"Please reply to the offer: {offer.role.title}"
    assert "It is fine to say no." in message.body
    assert f"https://coproduction.example.org/projects/offers/{offer.pk}/" in message.body


def test_an_offer_unanswered_for_fourteen_days_reminds_staff_too(scan, contributor):
    offer = RoleOfferFactory(contributor=contributor, offered_at=NOW - timedelta(days=14))
    RoleOfferFactory(offered_at=NOW - timedelta(days=13))

    counts = scan()

    assert counts["offer_unanswered_staff"] == 1
    staff_message = next(m for m in mail.outbox if m.to == [offer.role.project.lead.email])
    assert staff_message.subject == f"No answer yet from Zoë: {offer.role.title}"


def test_an_answered_offer_is_not_reminded(scan):
    RoleOfferFactory(status="accepted", offered_at=NOW - timedelta(days=20))
    RoleOfferFactory(status="declined", offered_at=NOW - timedelta(days=20), contributor=ContributorFactory())

    counts = scan()

    assert counts["offer_unanswered_contributor"] == 0 and counts["offer_unanswered_staff"] == 0

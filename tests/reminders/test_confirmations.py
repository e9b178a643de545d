"""Confirmations: whoever adds a contributor to a meeting or offers them a role, the
contributor hears about it at the next scan, once (CiviVolunteer users asked for this)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from projects.models import MeetingInvitation, RoleOffer, RoleVersion
from reminders.models import ReminderSetting, StaffTask

from .conftest import NOW
from .factories import InvitationFactory, MeetingFactory, RoleOfferFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmations_on")]
LONDON = ZoneInfo("Europe/London")


def test_a_contributor_added_to_a_meeting_gets_a_confirmation_with_the_calendar_file(scan, contributor):
    meeting = MeetingFactory(start=datetime(2026, 12, 16, 14, 0, tzinfo=LONDON), papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)

    counts = scan()

    assert counts["meeting_invited"] == 1
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == f"You are invited: {meeting.title} on Wednesday 16 December"
    assert "Please tell us whether you can come" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    event = next(c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT")
    assert str(event["SUMMARY"]) == f"{meeting.title} ({meeting.project.title})"

    assert scan()["meeting_invited"] == 0
    assert len(mail.outbox) == 1


def test_no_confirmation_for_a_past_meeting_or_a_declined_invitation(scan, contributor, other_contributor):
    past = MeetingFactory(start=NOW - timedelta(days=2))
    InvitationFactory(meeting=past, contributor=contributor)
    future = MeetingFactory(start=NOW + timedelta(days=20))
    InvitationFactory(
        meeting=future, contributor=other_contributor, reply=MeetingInvitation.Reply.NOT_ATTENDING
    )

    assert scan()["meeting_invited"] == 0
    assert mail.outbox == []


def test_a_contributor_who_wants_a_phone_call_is_called_about_the_invitation(scan, contributor):
    contributor.profile.contact_method = "phone"
    contributor.profile.phone = "07700 900123"
    contributor.profile.save()
    meeting = MeetingFactory(start=datetime(2026, 12, 16, 14, 0, tzinfo=LONDON), papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)

    scan()

    assert mail.outbox == []
    task = StaffTask.objects.get()
    assert task.assigned_to == meeting.organiser
    assert task.text == (
        f"Call {contributor.get_full_name()} (07700 900123) to tell them they are invited to "
        f"'{meeting.title}' on 16 December at 14:00, and ask whether they can come."
    )


def test_an_offer_reaches_the_contributor_once(scan, contributor):
    offer = RoleOfferFactory(contributor=contributor)

    counts = scan()

    assert counts["offer_made"] == 1
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == f"You have been offered a role: {offer.role.title}"
    assert "It is fine to say no." in message.body
    assert f"/projects/offers/{offer.pk}/" in message.body
    assert scan()["offer_made"] == 0


def test_changed_terms_of_an_accepted_role_are_announced_once_per_version(scan, contributor):
    offer = RoleOfferFactory(contributor=contributor)
    first = offer.offered_version
    RoleOffer.objects.filter(pk=offer.pk).update(status=RoleOffer.Status.ACCEPTED, accepted_version=first)
    scan()
    mail.outbox.clear()

    new_terms = RoleVersion.objects.create(role=offer.role, number=2, description={})
    RoleOffer.objects.filter(pk=offer.pk).update(offered_version=new_terms)
    scan()

    (message,) = mail.outbox
    assert message.subject == f"New terms for your role: {offer.role.title}"
    assert "Your current terms stand until you accept the new ones." in message.body
    assert scan()["offer_made"] == 0


def test_confirmations_can_be_switched_off(scan, contributor):
    ReminderSetting.objects.filter(kind__in=["meeting_invited", "offer_made"]).update(enabled=False)
    RoleOfferFactory(contributor=contributor)
    InvitationFactory(meeting=MeetingFactory(start=NOW + timedelta(days=20)), contributor=contributor)

    scan()

    assert mail.outbox == []

"""Contributors who asked for a phone call or a letter get a staff task, not an email."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from expenses.models import Claim
from reminders.models import ReminderSent, StaffTask

from .conftest import NOW
from .factories import ClaimFactory, InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_a_contributor_who_wants_a_phone_call_gets_a_staff_task_not_an_email(scan, by_phone):
    meeting = MeetingFactory(
        start=datetime(2026, 12, 3, 10, 0, tzinfo=LONDON), papers_sent_on=NOW.date(), venue=""
    )
    InvitationFactory(meeting=meeting, contributor=by_phone)

    counts = scan()

    assert counts["meeting_day_before"] == 1
    assert mail.outbox == []
    task = StaffTask.objects.get()
    assert task.assigned_to == meeting.organiser
    assert task.contributor == by_phone
    assert task.text == "Call Zoë O'Brien (07700 900123) about Thursday's meeting, 'Steering group', 10:00."
    reminder = ReminderSent.objects.get()
    assert (reminder.channel, reminder.status) == ("staff_task", "sent")


def test_a_week_ahead_the_task_gives_the_date(scan, by_phone):
    meeting = MeetingFactory(
        start=datetime(2026, 12, 9, 10, 0, tzinfo=LONDON),
        papers_sent_on=NOW.date(),
        venue="Room 4\nRiverside Centre",
    )
    InvitationFactory(meeting=meeting, contributor=by_phone)

    assert scan()["meeting_week_before"] == 1

    assert StaffTask.objects.get().text == (
        "Call Zoë O'Brien (07700 900123) about the meeting on 9 December, 'Steering group', 10:00, "
        "at Room 4 Riverside Centre."
    )


def test_a_contributor_who_wants_post_gets_a_letter_task_with_their_address(scan, contributor):
    contributor.profile.contact_method = "post"
    contributor.profile.address = "12 Mill Lane\nLeeds\nLS1 4AB"
    contributor.profile.save()
    ClaimFactory(contributor=contributor, status=Claim.Status.PAID, paid_at=NOW - timedelta(hours=2))

    scan()

    assert mail.outbox == []
    assert StaffTask.objects.get().text == (
        "Write to Zoë O'Brien (12 Mill Lane, Leeds, LS1 4AB) "
        "to tell them their claim of £42.50 has been paid."
    )


def test_staff_always_get_email_even_about_a_phone_contributor(scan, by_phone):
    meeting = MeetingFactory(start=datetime(2026, 12, 9, 10, 0, tzinfo=LONDON))  # papers not sent
    InvitationFactory(meeting=meeting, contributor=by_phone)

    scan()

    assert [m.to for m in mail.outbox] == [[meeting.organiser.email]]
    assert StaffTask.objects.get().contributor == by_phone


def test_the_task_appears_on_the_organisers_dashboard_with_a_done_button(scan, client, by_phone):
    meeting = MeetingFactory(start=datetime(2026, 12, 3, 10, 0, tzinfo=LONDON), papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=by_phone)
    scan()
    task = StaffTask.objects.get()

    client.force_login(meeting.organiser)
    page = client.get("/staff/").content.decode()

    assert "Calls and letters to do" in page
    assert "Call Zoë O&#x27;Brien (07700 900123) about Thursday&#x27;s meeting" in page
    assert f'action="/reminders/tasks/{task.pk}/done/"' in page

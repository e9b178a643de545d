"""Meeting coming up (a week before, the day before) and papers not sent (to the organiser)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from reminders.models import ReminderSent, ReminderSetting
from tests.factories import ContributorFactory

from .conftest import NOW
from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
THURSDAY_10AM = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)


def at(days, hour=10):
    day = NOW.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def test_it_reminds_each_invited_contributor_the_day_before(scan, contributor):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)
    attending = InvitationFactory(meeting=meeting, reply="attending")

    counts = scan()

    assert counts["meeting_day_before"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contributor.email, attending.contributor.email])
    assert mail.outbox[0].subject == "Tomorrow: Steering group at 10:00"


def test_it_does_not_remind_a_contributor_who_said_they_cannot_come(scan):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, reply="not_attending")

    assert scan()["meeting_day_before"] == 0
    assert mail.outbox == []


def test_it_does_not_send_the_day_before_reminder_two_days_before(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=at(2), papers_sent_on=NOW.date()), contributor=contributor)

    counts = scan()

    assert counts["meeting_day_before"] == 0
    assert counts["meeting_week_before"] == 1  # but the week-before one, as it had not gone


def test_it_does_not_remind_about_a_meeting_that_has_started(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=NOW - timedelta(minutes=5)), contributor=contributor)

    assert sum(scan().values()) == 0


def test_it_reminds_a_week_before_and_not_eight_days_before(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=at(7), papers_sent_on=NOW.date()), contributor=contributor)
    InvitationFactory(meeting=MeetingFactory(start=at(8), papers_sent_on=NOW.date()), contributor=contributor)

    counts = scan()

    assert counts["meeting_week_before"] == 1
    assert mail.outbox[0].subject == "Reminder: Steering group on Wednesday 9 December"


def test_a_meeting_tomorrow_gets_only_the_day_before_reminder(scan, contributor):
    InvitationFactory(
        meeting=MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date()), contributor=contributor
    )

    counts = scan()

    assert counts["meeting_week_before"] == 0
    assert counts["meeting_day_before"] == 1


def test_the_email_carries_the_details_access_information_and_online_link_in_text_and_html(scan, contributor):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)

    scan()

    message = mail.outbox[0]
    assert message.body.startswith("Hello Zoë,")
    assert "When: Thursday 3 December 2026, 10:00 to 12:00" in message.body
    assert "Where: Room 4, Riverside Centre, 1 High Street, Leeds" in message.body
    assert "Access: Step-free entrance on Mill Lane; hearing loop in room 4." in message.body
    assert "Join online: https://meet.example.org/steering-group" in message.body
    assert f"Details: https://coproduction.example.org/projects/meetings/{meeting.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://meet.example.org/steering-group">' in html
    assert "Zoë" in html


def test_the_email_has_an_ics_file_with_time_zone_place_and_online_link(scan, contributor):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)

    scan()

    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert filename == "meeting.ics"
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    event = next(iter(calendar.walk("VEVENT")))
    assert "Steering group" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == THURSDAY_10AM
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/London"
    assert calendar.walk("VTIMEZONE")
    assert "Riverside Centre" in str(event["LOCATION"])
    assert "https://meet.example.org/steering-group" in str(event["DESCRIPTION"])
    assert "hearing loop" in str(event["DESCRIPTION"])


def test_only_invited_people_get_the_online_link(scan, contributor):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)
    outsider = ContributorFactory()

    scan()

    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert not ReminderSent.objects.filter(recipient=outsider).exists()


def test_a_moved_meeting_gets_a_new_reminder_but_an_unchanged_one_does_not(scan, contributor):
    meeting = MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date())
    InvitationFactory(meeting=meeting, contributor=contributor)
    scan()
    scan(NOW + timedelta(hours=2))
    assert len(mail.outbox) == 1

    meeting.start, meeting.end = THURSDAY_10AM + timedelta(hours=4), THURSDAY_10AM + timedelta(hours=5)
    meeting.save()
    scan(NOW + timedelta(hours=3))

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Tomorrow: Steering group at 14:00"


def test_it_tells_the_organiser_when_papers_are_not_sent_a_week_before(scan):
    meeting = MeetingFactory(start=at(7))
    MeetingFactory(start=at(8))  # not yet
    MeetingFactory(start=at(3), papers_sent_on=NOW.date())  # sent

    counts = scan()

    assert counts["papers_not_sent"] == 1
    (message,) = mail.outbox
    assert message.to == [meeting.organiser.email]
    assert message.subject == "Papers not sent yet for Steering group on 9 December"
    assert "record the date on the meeting page" in message.body
    assert message.attachments == []


def test_a_switched_off_reminder_is_not_sent(scan, contributor):
    InvitationFactory(
        meeting=MeetingFactory(start=THURSDAY_10AM, papers_sent_on=NOW.date()), contributor=contributor
    )
    ReminderSetting.objects.filter(kind="meeting_day_before").update(enabled=False)

    assert scan()["meeting_day_before"] == 0
    assert mail.outbox == []


def test_admins_can_change_the_lead_time_and_the_wording(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=at(2), papers_sent_on=NOW.date()), contributor=contributor)
    ReminderSetting.objects.filter(kind="meeting_day_before").update(
        lead_days=2, subject="Coming up: {{ meeting.title }}", intro="See you on {{ start|date:'l' }}!"
    )

    scan()

    (message,) = mail.outbox
    assert message.subject == "Coming up: Steering group"
    assert "See you on Friday!" in message.body


def test_running_the_scan_twice_sends_nothing_the_second_time(scan, contributor):
    InvitationFactory(meeting=MeetingFactory(start=THURSDAY_10AM), contributor=contributor)
    InvitationFactory(meeting=MeetingFactory(start=at(6)), contributor=contributor)

    first = scan()
    second = scan(NOW + timedelta(minutes=15))

    assert sum(first.values()) == 4  # two meeting reminders, two papers reminders
    assert sum(second.values()) == 0
    assert len(mail.outbox) == 4

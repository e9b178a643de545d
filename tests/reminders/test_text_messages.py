"""Text messages through GOV.UK Notify, end to end against a local server speaking its API:
a reminder goes by text to someone who accepts texts on a mobile, the provider refusing a
number fails it at once, the provider down is retried then failed and shown as email is."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from reminders import sms
from reminders.models import ReminderSent, StaffTask

from .conftest import NOW
from .factories import InvitationFactory, MeetingFactory
from .notifyserver import API_KEY, FakeNotify, closed_port_url

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def notify(settings):
    with FakeNotify() as server:
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
        settings.NOTIFY_BASE_URL = server.url
        yield server


@pytest.fixture
def texter(contributor):
    """Zoë asked for texts to her mobile (and, before that, for phone calls)."""
    profile = contributor.profile
    profile.phone, profile.accepts_texts, profile.contact_method = "07700 900123", True, "phone"
    profile.save()
    return contributor


@pytest.fixture
def invited(texter):
    meeting = MeetingFactory(start=datetime(2026, 12, 3, 10, 0, tzinfo=LONDON), papers_sent_on=NOW.date())
    return InvitationFactory(meeting=meeting, contributor=texter)


def test_it_sends_the_reminder_as_a_text_instead_of_a_call_or_an_email(scan, invited, notify):
    scan()

    assert mail.outbox == []
    assert StaffTask.objects.count() == 0
    [text] = notify.received
    assert text["phone_number"] == "+447700900123"
    assert text["template_id"] == TEMPLATE_ID
    meeting = invited.meeting
    assert text["personalisation"]["body"] == (
        f"Co-production: Tomorrow: Steering group at 10:00. Details: "
        f"https://coproduction.example.org/projects/meetings/{meeting.pk}/"
    )
    reminder = ReminderSent.objects.get()
    assert (reminder.channel, reminder.status, reminder.attempts) == ("sms", "sent", 1)
    assert reminder.message_subject == text["personalisation"]["body"]


def test_it_sends_each_text_once_however_often_the_scan_runs(scan, invited, notify):
    scan()
    scan(NOW + timedelta(minutes=15))

    assert len(notify.received) == 1


def test_the_provider_refusing_the_number_fails_it_at_once_with_the_reason(scan, invited, notify):
    notify.refuse_numbers.add("+447700900123")

    scan()

    assert notify.requests == 1  # not retried: the answer would be the same
    reminder = ReminderSent.objects.get()
    assert reminder.status == "failed"
    assert reminder.last_error == (
        "TextRefused: The text provider refused the text to 07700 900123: phone_number Not a UK mobile number"
    )


def test_the_provider_down_is_retried_then_failed_and_shown_to_admins(scan, invited, notify, admin_client):
    notify.down = True

    scan()

    assert notify.requests == 6  # the first try and five retries
    reminder = ReminderSent.objects.get()
    assert (reminder.status, reminder.attempts) == ("failed", 6)
    assert reminder.last_error == (
        "TextNotSentYet: The text provider did not take the text (500): Internal server error"
    )
    page = admin_client.get("/admin/reminders/remindersent/?status__exact=failed").content.decode()
    assert "Failed to send" in page and "Text message" in page


def test_the_provider_back_after_two_failures_gets_the_text_once(scan, invited, notify, monkeypatch):
    real_send = sms._client
    calls = []

    def flaky_client():
        calls.append(1)
        notify.down = len(calls) <= 2
        return real_send()

    monkeypatch.setattr(sms, "_client", flaky_client)

    scan()

    assert len(notify.received) == 1
    reminder = ReminderSent.objects.get()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 3, "")


def test_connection_refused_is_retried_then_failed(scan, invited, settings):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = closed_port_url()

    scan()

    reminder = ReminderSent.objects.get()
    assert (reminder.status, reminder.attempts) == ("failed", 6)
    assert reminder.last_error.startswith("TextNotSentYet: The text provider did not take the text (503)")


def test_the_contributor_sees_a_failed_text_in_messages_sent_to_me(scan, invited, notify, client):
    notify.refuse_numbers.add("+447700900123")
    scan()
    invited.contributor.set_password("pw")
    invited.contributor.save()
    client.force_login(invited.contributor)

    page = client.get("/reminders/").content.decode()

    assert "Text message" in page and "Failed to send" in page


def test_without_a_key_the_text_goes_to_the_console(scan, invited, settings, capsys):
    settings.NOTIFY_API_KEY = ""
    sms.outbox.clear()

    scan()

    assert "Text message to +447700900123:" in capsys.readouterr().out
    assert [t["to"] for t in sms.outbox] == ["+447700900123"]
    assert ReminderSent.objects.get().status == "sent"


def test_a_landline_gets_no_text_but_the_call_they_asked_for(scan, invited, notify):
    profile = invited.contributor.profile
    profile.phone = "0113 496 0000"
    profile.save()

    scan()

    assert notify.received == []
    assert ReminderSent.objects.get().channel == "staff_task"
    assert StaffTask.objects.count() == 1

"""send_due_reminders for cron, the demo, and the beat schedule made by the migration."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from reminders import registry
from reminders.models import ReminderSent, ReminderSetting

from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_command():
    def run() -> str:
        out = StringIO()
        call_command("send_due_reminders", stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


def test_the_command_sends_what_is_due_and_prints_how_many_of_each_kind(contributor, run_command):
    tomorrow = timezone.localtime() + timezone.timedelta(days=1)
    meeting = MeetingFactory(start=tomorrow, papers_sent_on=timezone.localdate())
    InvitationFactory(meeting=meeting, contributor=contributor)

    output = run_command()

    assert "meeting_day_before: 1\n" in output
    assert "claim_prompt: 0\n" in output
    assert "Sent 1 reminder(s)." in output
    assert [m.to for m in mail.outbox] == [[contributor.email]]


def test_running_the_command_a_second_time_sends_nothing(contributor, run_command):
    InvitationFactory(
        meeting=MeetingFactory(start=timezone.now() + timezone.timedelta(days=1)), contributor=contributor
    )
    run_command()
    sent = len(mail.outbox)

    output = run_command()

    assert "Sent 0 reminder(s)." in output
    assert all(f"{kind.key}: 0\n" in output for kind in registry.kinds())
    assert len(mail.outbox) == sent


def test_after_seed_demo_the_demo_contributor_is_reminded_of_tomorrow_and_prompted_to_claim(
    settings, run_command
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    output = run_command()

    assert "meeting_day_before: 1\n" in output
    assert "claim_prompt: 1\n" in output
    to_demo = [m for m in mail.outbox if m.to == ["contributor@example.org"]]
    assert {m.subject.split(":")[0].split(" ")[0] for m in to_demo} >= {"Tomorrow", "You"}
    assert set(
        ReminderSent.objects.filter(recipient__email="contributor@example.org").values_list("kind", flat=True)
    ) >= {"meeting_day_before", "claim_prompt"}

    again = run_command()
    assert "Sent 0 reminder(s)." in again


def test_the_migration_creates_the_beat_schedule_and_a_setting_per_kind():
    task = PeriodicTask.objects.get(name="Send due reminders")
    assert task.task == "reminders.scan_due_reminders"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (15, "minutes")
    assert set(ReminderSetting.objects.values_list("kind", flat=True)) == set(registry.KINDS)
    assert ReminderSetting.objects.get(kind="claim_waiting_review").lead_days == 5


def test_the_beat_task_name_is_a_registered_celery_task():
    from coproduction.celery import app

    app.loader.import_default_modules()  # what a worker does at start-up (autodiscovery)
    assert "reminders.scan_due_reminders" in app.tasks
    assert "reminders.send_reminder" in app.tasks


def test_admins_can_switch_a_reminder_off_in_the_admin(admin_client):
    setting = ReminderSetting.objects.get(kind="claim_paid")

    page = admin_client.get(f"/admin/reminders/remindersetting/{setting.pk}/change/")

    assert page.status_code == 200
    assert "Your claim has been paid" in page.content.decode()

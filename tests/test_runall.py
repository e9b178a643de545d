"""`make run` (manage.py runall) without Redis: a real worker process on kombu's filesystem
broker sends a due reminder within a minute, as production does over Redis."""

import os
import subprocess
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from coproduction.celery import app
from coproduction.management.commands.runall import embedded_broker_env, worker_command
from reminders.models import ReminderSent
from reminders.services import scan_due_reminders
from tests.reminders.factories import InvitationFactory, MeetingFactory
from tests.test_celery import _forget_connections


@pytest.fixture
def filesystem_celery(tmp_path):
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    queue = str(tmp_path / "queue")
    app.conf.update(
        broker_url="filesystem://", task_always_eager=False,
        broker_transport_options={"data_folder_in": queue, "data_folder_out": queue,
                                  "processed_folder": str(tmp_path / "processed"), "store_processed": False,
                                  "control_folder": str(tmp_path / "control")},
    )
    _forget_connections(app)
    yield tmp_path
    app.conf.update(saved)
    _forget_connections(app)


def _database_url() -> str:
    s = connection.settings_dict
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_embedded_broker_sends_a_due_reminder_within_a_minute(
    require_postgres, filesystem_celery, monkeypatch
):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setenv("CELERY_EMBEDDED_BROKER_DIR", str(filesystem_celery))
    env = embedded_broker_env(settings.BASE_DIR)
    env["DATABASE_URL"] = _database_url()  # the worker uses this test's database
    assert "CELERY_BROKER_URL" not in env

    meeting = MeetingFactory(start=timezone.now() + timedelta(hours=3), papers_sent_on=timezone.localdate())
    InvitationFactory(meeting=meeting)
    counts = scan_due_reminders(only=["meeting_day_before"])  # queued as files, not sent here
    assert counts["meeting_day_before"] == 1
    reminder = ReminderSent.objects.get(kind="meeting_day_before")
    assert reminder.status == "sending"

    worker = subprocess.Popen(worker_command(), env=env, cwd=settings.BASE_DIR,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reminder.refresh_from_db()
            if reminder.status != "sending":
                break
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert reminder.status == "sent"
    assert reminder.message_subject.startswith("Tomorrow: Steering group at ")
    assert os.listdir(filesystem_celery / "queue") == []

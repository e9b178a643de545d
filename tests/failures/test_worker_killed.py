"""A real `celery worker` process is killed (SIGKILL) while it is sending a reminder: the task is
given back to Redis, the worker's next process sends it, and the person gets it once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reminders import services as reminder_services
from reminders.models import ReminderSent
from reminders.tasks import send_reminder
from tests.factories import ContributorFactory
from tests.projects.factories import ProjectFactory
from tests.reminders.factories import InvitationFactory, MeetingFactory

from .smtp import SMTPServer

CELERY = str(Path(sys.executable).with_name("celery"))


def _database_url() -> str:
    p = connection.settings_dict
    auth = p["USER"] + (f":{p['PASSWORD']}" if p["PASSWORD"] else "")
    return f"postgres://{auth}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(child) for child in found]


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_sends_the_reminder_once_after_it_restarts(
    require_postgres, celery_on_own_redis, own_redis, tmp_path
):
    person = ContributorFactory(name="Ann Early", email="ann@example.org")
    start = timezone.localtime() + timedelta(days=1)
    InvitationFactory(
        meeting=MeetingFactory(
            project=ProjectFactory(), start=start, papers_sent_on=timezone.localdate()
        ),
        contributor=person,
    )
    ids = reminder_services.scan_due_reminders(enqueue=lambda pk: None, only=["meeting_day_before"]).ids
    assert len(ids) == 1

    with SMTPServer(hang_first=True) as smtp:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": own_redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "PRIVATE_MEDIA_ROOT": str(tmp_path),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        worker = subprocess.Popen(
            [
                CELERY,
                "-A",
                "coproduction",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"),
        )
        try:
            send_reminder.delay(ids[0])
            assert smtp.hanging.wait(60), "the worker never started sending"
            children = _children(worker.pid)
            assert len(children) == 1
            os.kill(children[0], signal.SIGKILL)  # the process sending the email dies mid-send

            assert _wait_for(lambda: len(smtp.delivered) == 1), (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(3)  # time for any second copy to arrive, if there were one
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    assert len(smtp.delivered) == 1
    assert b"ann@example.org" in smtp.delivered[0]
    reminder = ReminderSent.objects.get(pk=ids[0])
    assert reminder.status == ReminderSent.Status.SENT

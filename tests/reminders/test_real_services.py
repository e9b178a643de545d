"""With the real services: two scans at once on PostgreSQL, and a real Celery worker over the
real Redis running the beat task. Skipped without them, unless REQUIRE_SERVICES=1."""

import threading
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from coproduction.celery import app
from expenses.models import Claim
from reminders.models import ReminderSent
from reminders.schedule import ensure_default_schedule
from reminders.selectors import find_due
from reminders.services import claim_batch, reminder_settings, scan_due_reminders
from reminders.tasks import send_reminder

from .conftest import NOW
from .factories import ClaimFactory, InvitationFactory, MeetingFactory, ProjectFactory
from .mailserver import FlakyEmailBackend


def _tomorrow_meetings(n, now=NOW):
    project = ProjectFactory()
    start = timezone.localtime(now) + timedelta(days=1)
    for _ in range(n):
        InvitationFactory(meeting=MeetingFactory(project=project, start=start, papers_sent_on=now.date()))


def _in_thread(target, errors):
    def run():
        try:
            target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_send_each_reminder_exactly_once(require_postgres):
    _tomorrow_meetings(40)
    start_together = threading.Barrier(2)
    results, errors = {}, []

    def scan(name):
        start_together.wait()
        results[name] = scan_due_reminders(
            now=NOW, batch_size=7, enqueue=lambda pk: send_reminder.apply(args=[pk])
        )

    threads = [_in_thread(lambda n=name: scan(n), errors) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    day_before = results["a"]["meeting_day_before"] + results["b"]["meeting_day_before"]
    assert day_before == 40
    assert ReminderSent.objects.filter(kind="meeting_day_before").count() == 40
    assert len(mail.outbox) == 40
    assert len({m.to[0] for m in mail.outbox}) == 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_that_loses_the_race_inside_the_database_claims_nothing(require_postgres):
    """Both scans saw no record yet; the first inserts and holds its transaction open; the
    second's insert waits on the unique index, then does nothing once the first commits."""
    _tomorrow_meetings(3)
    dues = next(find_due("meeting_day_before", settings=reminder_settings(), now=NOW))
    first_inserted = threading.Event()
    claimed, errors = {}, []

    def first():
        with transaction.atomic():
            claimed["first"] = claim_batch(dues, enqueue=lambda pk: None)
            first_inserted.set()
            time.sleep(1)

    def second():
        first_inserted.wait(10)
        claimed["second"] = claim_batch(dues, enqueue=lambda pk: None)

    threads = [_in_thread(first, errors), _in_thread(second, errors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert len(claimed["first"]) == 3
    assert claimed["second"] == []
    assert ReminderSent.objects.count() == 3


# --- a real worker over the real Redis ----------------------------------------------------
def _forget_connections(celery_app):
    # Celery caches the result backend and broker pool from the first use.
    celery_app._backend_cache = None
    celery_app._local = threading.local()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def redis_celery(redis_url):
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    _forget_connections(app)
    app.loader.import_default_modules()
    app.control.purge()  # nothing left over from an earlier run
    yield app
    app.conf.update(saved)
    _forget_connections(app)


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _run_beat_entry(celery_app):
    """Exactly what celery beat does with the schedule row the migration made."""
    from django_celery_beat.schedulers import DatabaseScheduler

    ensure_default_schedule()  # a transactional test flushed the migration's rows
    scheduler = DatabaseScheduler(app=celery_app, lazy=True)
    entry = scheduler.schedule["Send due reminders"]
    assert entry.task == "reminders.scan_due_reminders"
    return scheduler.apply_entry(entry)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_over_redis_runs_the_beat_task_and_the_emails_arrive(redis_celery, contributor):
    _tomorrow_meetings(2, now=timezone.now())
    ClaimFactory(
        contributor=contributor, status=Claim.Status.PAID, paid_at=timezone.now() - timedelta(hours=1)
    )

    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        _run_beat_entry(redis_celery)
        assert _wait_for(lambda: len(mail.outbox) == 3), f"{len(mail.outbox)} emails arrived"
        _run_beat_entry(redis_celery)  # beat again: nothing new
        time.sleep(2)

    assert len(mail.outbox) == 3
    assert "Your claim has been paid" in {m.subject for m in mail.outbox}
    assert set(ReminderSent.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_a_failing_mail_server_through_redis(redis_celery, settings, contributor):
    settings.EMAIL_BACKEND = "tests.reminders.mailserver.FlakyEmailBackend"
    settings.REMINDERS_RETRY_BASE_SECONDS = 0
    FlakyEmailBackend.failures_left, FlakyEmailBackend.attempts = 2, 0
    _tomorrow_meetings(1, now=timezone.now())

    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        redis_celery.send_task("reminders.scan_due_reminders")
        assert _wait_for(lambda: len(mail.outbox) == 1)

    reminder = ReminderSent.objects.get()
    assert (reminder.status, reminder.attempts) == ("sent", 3)
    assert FlakyEmailBackend.attempts == 3

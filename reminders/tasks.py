"""Celery tasks: the beat scan, and sending one reminder with retries."""

from smtplib import SMTPException

from celery import shared_task

from . import services

MAX_RETRIES = 5


@shared_task(name="reminders.scan_due_reminders", acks_late=True)
def scan_due_reminders() -> dict:
    """Run by Celery beat (every 15 minutes by default): queues one send per due reminder."""
    return dict(services.scan_due_reminders())


@shared_task(
    bind=True,
    name="reminders.send_reminder",
    acks_late=True,
    # A worker killed mid-send: the message goes back to the queue and another worker sends it.
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    default_retry_delay=60,
)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.deliver_reminder(reminder_id=reminder_id)
    except (SMTPException, OSError) as exc:
        final = self.request.retries >= self.max_retries
        services.record_failed_attempt(reminder_id=reminder_id, error=exc, final=final)
        if final:
            return "failed"
        # Exponential back-off: 1, 2, 4, 8, 16 minutes (capped at an hour).
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc

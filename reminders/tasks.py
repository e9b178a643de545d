"""Celery tasks: the beat scan, and sending one reminder with retries."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from . import services, sms

MAX_RETRIES = 5
logger = logging.getLogger(__name__)


@shared_task(name="reminders.scan_due_reminders", acks_late=True)
def scan_due_reminders(only: list[str] | None = None) -> dict:
    """Run by Celery beat (every 15 minutes by default): queues one send per due reminder.
    `only` some kinds: a moved meeting asks for its news to go at once."""
    return dict(services.scan_due_reminders(only=only))


def back_off(retries: int) -> int:
    """Seconds before the next try: 1, 2, 4, 8, 16 minutes by default, capped at an hour."""
    base = getattr(settings, "REMINDERS_RETRY_BASE_SECONDS", 60)
    return min(base * 2**retries, 3600)


@shared_task(
    bind=True,
    name="reminders.send_reminder",
    acks_late=True,
    # A worker killed mid-send: the message goes back to the queue and another worker sends it.
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def send_reminder(self, reminder_id: int) -> str:
    retries = self.request.retries or 0
    while True:
        try:
            return services.deliver_reminder(reminder_id=reminder_id)
        except (SMTPException, OSError) as exc:  # the mail server, or the text provider (sms.TextNotSentYet)
            final = retries >= self.max_retries
            services.record_failed_attempt(reminder_id=reminder_id, error=exc, final=final)
            if final:
                return "failed"
            if self.request.is_eager:
                # No broker to wait on (make run, send_due_reminders): try again straight away.
                retries += 1
                continue
            raise self.retry(exc=exc, countdown=back_off(retries)) from exc
        except sms.TextRefused as exc:
            # The provider said no to this number: recorded and shown as failed, not retried.
            services.record_failed_attempt(reminder_id=reminder_id, error=exc, final=True)
            return "failed"
        except Exception as exc:
            # Not the mail server (e.g. a broken template): retrying will not help. Record it
            # for the admins and let the scan carry on with everyone else's reminders.
            logger.exception("Reminder %s could not be sent", reminder_id)
            services.record_failed_attempt(reminder_id=reminder_id, error=exc, final=True)
            return "failed"

from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import kinds, services
from reminders.models import ReminderSent
from reminders.tasks import send_reminder


class Command(BaseCommand):
    help = (
        "Send every reminder that is due, now, in this process (no Celery worker needed), and "
        "print how many of each kind were sent. Safe to run from cron as often as you like."
    )

    def handle(self, *args, **options):
        claimed: list[int] = []

        def send_here(reminder_id: int) -> None:
            claimed.append(reminder_id)
            # apply() runs the task in this process, retries included, whatever the broker.
            send_reminder.apply(args=[reminder_id])

        counts = services.scan_due_reminders(now=timezone.now(), enqueue=send_here)
        for kind in kinds.DEFAULTS:
            self.stdout.write(f"{kind}: {counts.get(kind, 0)}")
        failed = ReminderSent.objects.filter(pk__in=claimed, status=ReminderSent.Status.FAILED).count()
        total = sum(counts.values())
        if failed:
            self.stderr.write(f"{failed} of {total} could not be sent: see Reminders sent in the admin.")
        self.stdout.write(self.style.SUCCESS(f"Sent {total - failed} reminder(s)."))

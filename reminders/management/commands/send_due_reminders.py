from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import registry, services
from reminders.models import ReminderSent
from reminders.tasks import send_reminder


class Command(BaseCommand):
    help = (
        "Send every reminder that is due, now, in this process (no Celery worker needed), and "
        "print how many of each kind were sent. Safe to run from cron as often as you like."
    )

    def handle(self, *args, **options):
        # Claim first (committed batch by batch), then send here, one by one: apply() runs the
        # task in this process, retries included, whatever the broker settings say.
        claimed = services.scan_due_reminders(now=timezone.now(), enqueue=lambda pk: None).ids
        for reminder_id in claimed:
            send_reminder.apply(args=[reminder_id])
        rows = ReminderSent.objects.filter(pk__in=claimed).values_list("kind", "status")
        sent = Counter(kind for kind, status in rows if status == ReminderSent.Status.SENT)
        for kind in registry.kinds():
            self.stdout.write(f"{kind.key}: {sent.get(kind.key, 0)}")
        failed = sum(1 for _kind, status in rows if status == ReminderSent.Status.FAILED)
        if failed:
            self.stderr.write(
                f"{failed} could not be sent: see Reminders sent in the admin (filter: failed)."
            )
        self.stdout.write(self.style.SUCCESS(f"Sent {sum(sent.values())} reminder(s)."))

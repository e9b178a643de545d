"""The default beat schedule, to restore it after it was removed (migration 0002 made it first,
with its own copy of these values)."""

from django_celery_beat.models import IntervalSchedule, PeriodicTask

SCAN_TASK_NAME = "Send due reminders"
SCAN_TASK = "reminders.scan_due_reminders"
EVERY_MINUTES = 15


def ensure_default_schedule() -> PeriodicTask:
    every, _ = IntervalSchedule.objects.get_or_create(every=EVERY_MINUTES, period="minutes")
    task, _ = PeriodicTask.objects.get_or_create(
        name=SCAN_TASK_NAME,
        defaults={
            "task": SCAN_TASK,
            "interval": every,
            "enabled": True,
            "description": "Finds reminders that are due and queues each one to be sent once. "
            "Change how often here; switch single kinds of reminder off under Reminder settings.",
        },
    )
    return task

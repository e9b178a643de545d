"""The default beat schedule, shared by the data migration and by anyone who needs to
restore it (pass the historical models in a migration, the real ones elsewhere)."""

SCAN_TASK_NAME = "Send due reminders"
SCAN_TASK = "reminders.scan_due_reminders"
EVERY_MINUTES = 15


def ensure_default_schedule(PeriodicTask=None, IntervalSchedule=None):
    if PeriodicTask is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask
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

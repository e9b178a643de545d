"""Jobs Celery beat runs at a set time, made by a migration and changed by admins in the admin."""

from django.conf import settings


def ensure_crontab_task(
    *, name: str, task: str, minute: str, hour: str, day_of_week: str = "*", description: str,
    PeriodicTask=None, CrontabSchedule=None,
):
    """The job `name` running `task` at that time, unless it exists (an admin may have moved it).
    Migrations pass their historical models; everywhere else the real ones are used."""
    if PeriodicTask is None:
        from django_celery_beat.models import CrontabSchedule, PeriodicTask
    when, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    job, _ = PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": when, "enabled": True, "description": description}
    )
    return job

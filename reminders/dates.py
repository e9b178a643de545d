"""Date rules for reminders, in local (Europe/London) time."""

from datetime import datetime, time, timedelta

from django.utils import timezone


def local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def start_of_day_after(now: datetime, days: int) -> datetime:
    """Midnight at the start of the local day `days + 1` days after now's local date: a meeting
    starting before this is `days` calendar days away or fewer."""
    return local_midnight(timezone.localdate(now) + timedelta(days=days + 1))


def working_days_before(now: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday; bank holidays are not skipped) before now."""
    moment = timezone.localtime(now)
    counted = 0
    while counted < days:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            counted += 1
    return moment

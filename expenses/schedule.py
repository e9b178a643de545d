"""When a contributor can expect their money, from the finance team's payment run.

settings.PAYMENT_SCHEDULE says on which weekday finance pay approved claims, how often (weekly,
fortnightly or monthly: the first such weekday of each month) and how many working days the
bank takes. A claim approved on a payment day goes in the next run: the batch may already be made.
"""

from datetime import date, timedelta

from django.conf import settings

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Fortnightly runs without PAYMENT_RUN_FIRST count from the first such weekday of 2026.
FORTNIGHT_FROM = date(2026, 1, 5)


def _schedule() -> dict:
    return settings.PAYMENT_SCHEDULE


def _first_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _first_in_month(year: int, month: int, weekday: int) -> date:
    return _first_weekday_on_or_after(date(year, month, 1), weekday)


def next_run(after: date) -> date:
    """The first payment run strictly after `after`."""
    schedule = _schedule()
    weekday = schedule["weekday"]
    if schedule["every"] == "monthly":
        run = _first_in_month(after.year, after.month, weekday)
        if run <= after:
            year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
            run = _first_in_month(year, month, weekday)
        return run
    run = _first_weekday_on_or_after(after + timedelta(days=1), weekday)
    if schedule["every"] == "fortnightly":
        anchor = schedule["first"] or _first_weekday_on_or_after(FORTNIGHT_FROM, weekday)
        if (run - anchor).days % 14:
            run += timedelta(days=7)
    return run


def add_working_days(day: date, count: int) -> date:
    """Monday to Friday; bank holidays are not known, so not skipped."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def expected_dates(*, approved_on: date, today: date) -> tuple[date, date]:
    """(the payment run, the day the money should be in the account) for an approved claim.
    A run already passed without paying it (finance were late): the next one from today."""
    run = next_run(approved_on)
    if run < today:
        run = next_run(today - timedelta(days=1))
    return run, add_working_days(run, _schedule()["days_to_bank"])


def days_to_bank() -> int:
    return _schedule()["days_to_bank"]


def describe() -> str:
    """'every Thursday', 'every other Thursday' or 'on the first Thursday of each month'."""
    schedule = _schedule()
    name = DAY_NAMES[schedule["weekday"]]
    return {
        "weekly": f"every {name}",
        "fortnightly": f"every other {name}",
        "monthly": f"on the first {name} of each month",
    }[schedule["every"]]


def promise() -> str:
    """The sentence shown wherever the site says when approved claims are paid."""
    days = days_to_bank()
    bank = (
        "the same day"
        if days == 0
        else f"about {days} working day{'s' if days != 1 else ''} later"
    )
    return f"Approved claims are paid in the payment run {describe()}; the money reaches your account {bank}."

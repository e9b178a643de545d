"""When contributors can expect their money: from the finance team's payment run (a setting)."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from coproduction.settings import payment_schedule_from_env
from expenses import schedule

THURSDAY_WEEKLY = {"weekday": 3, "every": "weekly", "first": None, "days_to_bank": 3}


@pytest.fixture
def runs(settings):
    def use(**changes):
        settings.PAYMENT_SCHEDULE = {**THURSDAY_WEEKLY, **changes}

    use()
    return use


def test_weekly_runs_are_the_next_payment_day_after_approval(runs):
    assert schedule.next_run(date(2026, 11, 24)) == date(2026, 11, 26)  # Tuesday: that Thursday
    # Approved on a payment day: the batch may be made already, so the next week's run.
    assert schedule.next_run(date(2026, 11, 26)) == date(2026, 12, 3)
    assert schedule.describe() == "every Thursday"


def test_the_money_arrives_working_days_after_the_run(runs):
    run, by = schedule.expected_dates(approved_on=date(2026, 11, 24), today=date(2026, 11, 24))
    assert (run, by) == (date(2026, 11, 26), date(2026, 12, 1))  # Thursday, then Fri, Mon, Tue
    assert schedule.promise() == (
        "Approved claims are paid in the payment run every Thursday; the money reaches your account "
        "about 3 working days later."
    )


def test_a_run_that_passed_without_paying_promises_the_next_one(runs):
    run, _by = schedule.expected_dates(approved_on=date(2026, 11, 2), today=date(2026, 11, 24))
    assert run == date(2026, 11, 26)


def test_fortnightly_runs_count_from_the_first_run(runs):
    runs(every="fortnightly", first=date(2026, 11, 19))
    assert schedule.next_run(date(2026, 11, 20)) == date(2026, 12, 3)
    assert schedule.next_run(date(2026, 11, 27)) == date(2026, 12, 3)
    assert schedule.next_run(date(2026, 12, 3)) == date(2026, 12, 17)
    assert schedule.describe() == "every other Thursday"


def test_monthly_runs_are_the_first_payment_weekday_of_the_month(runs):
    runs(every="monthly", weekday=4)
    assert schedule.next_run(date(2026, 11, 24)) == date(2026, 12, 4)
    assert schedule.next_run(date(2026, 12, 4)) == date(2027, 1, 1)
    assert schedule.next_run(date(2026, 12, 31)) == date(2027, 1, 1)
    assert schedule.describe() == "on the first Friday of each month"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PAYMENT_RUN_DAY": "sunday"}, "PAYMENT_RUN_DAY must be a weekday, monday to friday, not 'sunday'."),
        ({"PAYMENT_RUN_EVERY": "daily"}, "PAYMENT_RUN_EVERY must be weekly, fortnightly or monthly"),
        ({"PAYMENT_RUN_FIRST": "19/11/2026"}, "PAYMENT_RUN_FIRST must be a date like 2026-01-08"),
        ({"PAYMENT_RUN_FIRST": "2026-11-20"}, "PAYMENT_RUN_FIRST (2026-11-20) is not a Thursday."),
        ({"PAYMENT_DAYS_TO_BANK": "40"}, "PAYMENT_DAYS_TO_BANK must be between 0 and 15 working days."),
    ],
)
def test_a_bad_schedule_stops_start_up_with_a_message(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        payment_schedule_from_env()


def test_the_schedule_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAYMENT_RUN_DAY", "Tuesday")
    monkeypatch.setenv("PAYMENT_RUN_EVERY", "fortnightly")
    monkeypatch.setenv("PAYMENT_RUN_FIRST", "2026-12-01")
    monkeypatch.setenv("PAYMENT_DAYS_TO_BANK", "0")
    assert payment_schedule_from_env() == {
        "weekday": 1, "every": "fortnightly", "first": date(2026, 12, 1), "days_to_bank": 0
    }

"""Every figure of the report agrees with the claims and meetings behind it (conftest.py's
world, worked out by hand), period edges and unpaid, rejected and unsent claims included."""

from datetime import date
from decimal import Decimal

import pytest

from coproduction.funder_report import Period, default_period, funder_report

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def test_a_projects_hours_count_meetings_once_and_only_accepted_time(world):
    report = funder_report(project=world.project, period=PERIOD)
    # Ada at the first (2 h) and the last day's meeting (30 min); not the one just after.
    assert report.hours["at_meetings"] == Decimal("2.50")
    # Ada claimed 3 h for a 2 h meeting: 1 h more; Ben half a day (3.5 h, paid after the
    # period but done in it); Dee a day (7 h, approved). Cai's rejected 5 h and Ben's unsent 4 h
    # do not count, nor a fixed fee.
    assert report.hours["other"] == Decimal("11.50")
    assert report.hours["total"] == Decimal("14.00")


def test_money_is_paid_claims_by_the_day_they_were_paid(world):
    money = funder_report(project=world.project, period=PERIOD).money
    # Ada's claim paid on the first day, and the taxi we paid directly; not Ben's paid the day
    # after the period, Ada's fixed fee paid the day before it, nor anything unpaid.
    assert money == {
        "time": Decimal("50.00"),
        "expenses": Decimal("40.00"),
        "total": Decimal("90.00"),
        "paid_directly": Decimal("30.00"),
        "claims": 2,
    }
    assert str(money["total"]) == "90.00"


def test_contributors_and_new_ones(world):
    people = funder_report(project=world.project, period=PERIOD).people
    # Ada, Ben (time in the period) and Dee (approved time); Cai's attendance was never recorded
    # and his claim was rejected. Ada was paid a fixed fee for the day before, Dee attended a
    # meeting the evening before: only Ben is new.
    assert people == {"involved": 3, "new": 1}


def test_meetings_held_and_attendance(world):
    meetings = funder_report(project=world.project, period=PERIOD).meetings
    assert meetings == {
        "held": 2,
        "cancelled": 1,
        "to_come": 0,
        "invited": 4,
        "attended": 2,
        "absent": 1,
        "not_recorded": 1,
        "attendance_percent": 50,
    }


def test_month_by_month(world):
    report = funder_report(project=world.project, period=PERIOD)
    assert [(row["bucket"], row["time"], row["expenses"]) for row in report.money_by_time] == [
        (date(2025, 4, 1), Decimal("50.00"), Decimal("10.00")),
        (date(2025, 12, 1), Decimal("0.00"), Decimal("30.00")),
    ]
    assert [
        (row["bucket"].date(), row["meetings"], row["invited"], row["attended"])
        for row in report.meetings_by_time
    ] == [(date(2025, 4, 1), 1, 3, 1), (date(2026, 3, 1), 1, 1, 1)]


def test_the_organisation_adds_every_project(world):
    report = funder_report(project=None, period=PERIOD)
    assert report.hours["at_meetings"] == Decimal("3.50")  # Ben's hour on the other project
    assert report.hours["total"] == Decimal("15.00")
    assert report.money["total"] == Decimal("90.00")
    assert report.people == {"involved": 3, "new": 1}
    assert report.meetings["held"] == 3
    assert report.meetings["attended"] == 3


def test_a_period_with_nothing_in_it(world):
    report = funder_report(project=world.project, period=Period(date(2030, 1, 1), date(2030, 1, 31)))
    assert report.hours == {
        "at_meetings": Decimal("0.00"),
        "other": Decimal("0.00"),
        "total": Decimal("0.00"),
    }
    assert report.money["total"] == Decimal("0.00")
    assert report.people == {"involved": 0, "new": 0}
    assert report.meetings["attendance_percent"] is None
    assert report.money_by_time == [] and report.meetings_by_time == []
    assert report.reach[0]["rows"] == []


def test_reach_counts_only_the_people_involved_and_shows_ranges(world):
    reach = funder_report(project=world.project, period=PERIOD).reach
    assert reach[0] == {"question": "People who answered", "rows": [{"label": "Total", "figure": "3"}]}
    gender = next(section for section in reach if section["question"] == "Gender")
    # Two women and one man (Cai is not involved): no group is shown as a number.
    assert {row["figure"] for row in gender["rows"]} == {"fewer than 4"}


def test_the_default_period_is_the_current_financial_year():
    assert default_period(date(2026, 3, 31)) == Period(date(2025, 4, 1), date(2026, 3, 31))
    assert default_period(date(2026, 4, 1)) == Period(date(2026, 4, 1), date(2027, 3, 31))


def test_the_money_aggregates_can_read_claims_by_index(world):
    """The conditions are ones an index answers (no function around a column): with sequential
    scans priced out, PostgreSQL reads the claims by an index. On the benchmark's data it picks
    a BitmapOr of the batch and paid_at indexes for a month of the organisation and the project
    index for a project by itself (bench/README.md)."""
    from django.db import connection, transaction

    from coproduction.funder_report import _paid_claims, batches_paid_in

    batch_ids = batches_paid_in(PERIOD)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        organisation = _paid_claims(None, PERIOD, batch_ids).explain()
        project = _paid_claims(world.project, PERIOD, batch_ids).explain()
    assert "Seq Scan on expenses_claim" not in organisation
    assert "Index" in organisation and "Index" in project
    assert "Seq Scan on expenses_claim" not in project


def test_the_organisations_one_pass_agrees_with_the_plain_queries(world):
    # The organisation's report keeps the period's claims and people in temporary tables
    # (one pass over the lines); a project's asks the plain queries. Both rules, one answer.
    from contributors.models import User
    from coproduction.funder_report import involvement_hours, people_involved

    report = funder_report(project=None, period=PERIOD)
    assert report.hours == involvement_hours(None, PERIOD)
    assert report.people["involved"] == User.objects.filter(pk__in=people_involved(None, PERIOD)).count()
    # Asked twice in one transaction (the tables of the first are replaced, not added to).
    assert funder_report(project=None, period=PERIOD).hours == report.hours


def test_the_money_added_up_by_month_is_the_money_paid(world):
    from coproduction.funder_report import batches_paid_in, money_paid

    for project in (world.project, None):
        report = funder_report(project=project, period=PERIOD)
        assert report.money == money_paid(project, PERIOD, batches_paid_in(PERIOD))
    assert funder_report(project=None, period=Period(date(2030, 1, 1), date(2030, 1, 31))).money == {
        "time": Decimal("0.00"),
        "expenses": Decimal("0.00"),
        "total": Decimal("0.00"),
        "paid_directly": Decimal("0.00"),
        "claims": 0,
    }

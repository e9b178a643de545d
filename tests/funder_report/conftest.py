"""A small known world for the funder report: every figure in the tests is worked out by hand
from it. The period is the financial year 1 April 2025 to 31 March 2026 (Europe/London)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from contributors.involvement import first_involvement_refresh
from contributors.models import EqualityMonitoring
from coproduction.funder_report import Period
from expenses.models import Claim, ClaimLine, PaymentBatch
from projects.models import MeetingInvitation
from tests.factories import AdminFactory, ContributorFactory, StaffFactory
from tests.projects.factories import MeetingFactory, ProjectFactory, give_role

LONDON = ZoneInfo("Europe/London")
PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    project: object
    other_project: object
    lead: object
    team: object
    outsider: object
    finance: object
    admin: object
    a: object
    b: object
    c: object
    d: object


def _claim(
    *,
    who,
    project,
    status,
    lines,
    time="0.00",
    expenses="0.00",
    batch=None,
    paid_at=None,
    meeting=None,
    organisation_paid=False,
):
    claim = Claim.objects.create(
        project=project,
        contributor=who,
        entered_by=who,
        status=status,
        meeting=meeting,
        time_amount=Decimal(time),
        expenses_amount=Decimal(expenses),
        total=Decimal(time) + Decimal(expenses),
        batch=batch,
        paid_at=paid_at,
        organisation_paid=organisation_paid,
    )
    for kind, day, quantity, amount in lines:
        ClaimLine.objects.create(
            claim=claim,
            kind=kind,
            date=day,
            description="x",
            quantity=None if quantity is None else Decimal(quantity),
            amount=Decimal(amount),
        )
    return claim


def _invite(meeting, person, attended):
    MeetingInvitation.objects.create(meeting=meeting, contributor=person, attended=attended)


def _batch(paid_on, by):
    return PaymentBatch.objects.create(status="paid", paid_on=paid_on, created_by=by, paid_by=by)


@pytest.fixture
def world(db):
    lead = StaffFactory(name="Lena Lead")
    team = StaffFactory(name="Tom Team")
    outsider = StaffFactory(name="Olu Outside")
    finance = StaffFactory(name="Fay Finance", is_finance=True)
    admin = AdminFactory()
    project = ProjectFactory(title="Better letters", lead=lead)
    project.team.add(team)
    other = ProjectFactory(title="Other work", lead=outsider)
    a, b, c, d = (ContributorFactory(name=name) for name in ("Ada", "Ben", "Cai", "Dee"))
    for person in (a, b, c, d):
        give_role(contributor=person, project=project)

    # Meetings: the first and the last day of the period, one just before, one just after,
    # one cancelled, and one on another project.
    m1 = MeetingFactory(project=project, start=at(2025, 4, 1, 10), end=at(2025, 4, 1, 12))
    _invite(m1, a, True)
    _invite(m1, b, False)
    _invite(m1, c, None)
    m2 = MeetingFactory(project=project, start=at(2026, 3, 31, 23), end=at(2026, 3, 31, 23, 30))
    _invite(m2, a, True)
    before = MeetingFactory(project=project, start=at(2025, 3, 31, 23, 30), end=at(2025, 4, 1, 0, 30))
    _invite(before, d, True)
    after = MeetingFactory(project=project, start=at(2026, 4, 1, 0, 0), end=at(2026, 4, 1, 1, 0))
    _invite(after, a, True)
    cancelled = MeetingFactory(
        project=project, start=at(2025, 6, 1, 10), end=at(2025, 6, 1, 11), cancelled_at=at(2025, 5, 30, 9)
    )
    _invite(cancelled, b, True)
    elsewhere = MeetingFactory(project=other, start=at(2025, 9, 1, 14), end=at(2025, 9, 1, 15))
    _invite(elsewhere, b, True)

    # Claims.
    _claim(
        who=a,
        project=project,
        status="paid",
        batch=_batch(date(2025, 4, 1), finance),
        paid_at=at(2025, 4, 3, 9),
        meeting=m1,
        time="50.00",
        expenses="10.00",
        lines=[
            ("time_hours", date(2025, 4, 1), "3", "50.00"),
            ("public_transport", date(2025, 4, 1), None, "10.00"),
        ],
    )
    _claim(
        who=b,
        project=project,
        status="paid",
        batch=_batch(date(2026, 4, 1), finance),
        paid_at=at(2026, 4, 1, 9),
        time="40.00",
        lines=[("time_half_day", date(2025, 5, 5), "1", "40.00")],
    )
    _claim(
        who=c,
        project=project,
        status="rejected",
        time="100.00",
        lines=[("time_hours", date(2025, 5, 5), "5", "100.00")],
    )
    _claim(
        who=d,
        project=project,
        status="approved",
        time="150.00",
        lines=[("time_day", date(2025, 6, 1), "1", "150.00")],
    )
    _claim(
        who=a,
        project=project,
        status="paid",
        paid_at=at(2025, 12, 1, 12),
        expenses="30.00",
        organisation_paid=True,
        lines=[("taxi", date(2025, 12, 1), None, "30.00")],
    )
    _claim(
        who=a,
        project=project,
        status="paid",
        batch=_batch(date(2025, 3, 31), finance),
        paid_at=at(2025, 3, 31, 9),
        time="25.00",
        lines=[("fixed_fee", date(2025, 3, 31), "1", "25.00")],
    )
    _claim(
        who=b,
        project=project,
        status="submitted",
        time="80.00",
        lines=[("time_hours", date(2025, 7, 1), "4", "80.00")],
    )

    # Monitoring: everyone answered, Cai (not involved in the period) included.
    for person, gender in ((a, "woman"), (b, "woman"), (c, "man"), (d, "man")):
        EqualityMonitoring.objects.create(user=person, consent_given_at=at(2025, 1, 1), gender=gender)
    # The rows above are made directly, not by the services that keep each person's first
    # involvement (tests/funder_report/test_first_involvement.py tests those): worked out here
    # as the backfill does.
    first_involvement_refresh(None)
    return World(
        project=project,
        other_project=other,
        lead=lead,
        team=team,
        outsider=outsider,
        finance=finance,
        admin=admin,
        a=a,
        b=b,
        c=c,
        d=d,
    )

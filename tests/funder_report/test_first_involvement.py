"""Each person's first involvement (contributors/involvement.py), kept by the services that record
involvement and filled in by the backfill, is the day the funder report would find by looking
back through their claims and meetings: so "new in the period" stays right."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from contributors.involvement import first_involvement_refresh
from contributors.models import User
from contributors.services import person_anonymise
from coproduction.funder_report import funder_report
from expenses import services as claims
from projects.models import MeetingInvitation
from projects.services.meetings import attendance_record
from tests.expenses.factories import line, make_claim
from tests.projects.factories import MeetingFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def first(person):
    return User.objects.get(pk=person.pk).first_involved_on


def test_the_world_as_worked_out_by_hand(world):
    # Ada: a fee for 31 March 2025 (paid); Ben: half a day on 5 May 2025 (his cancelled meeting
    # does not count); Dee: the meeting at 23:30 London time on 31 March 2025. Cai: a rejected
    # claim and attendance never recorded, so never involved. Staff are never involved.
    assert first(world.a) == date(2025, 3, 31)
    assert first(world.b) == date(2025, 5, 5)
    assert first(world.c) is None
    assert first(world.d) == date(2025, 3, 31)
    assert first(world.lead) is None


def test_the_backfill_finds_the_same_days(world):
    User.objects.update(first_involved_on=None)
    migration = importlib.import_module("expenses.migrations.0014_backfill_first_involved_on")
    migration.backfill(apps, None)
    assert [first(p) for p in (world.a, world.b, world.c, world.d)] == [
        date(2025, 3, 31),
        date(2025, 5, 5),
        None,
        date(2025, 3, 31),
    ]


def test_a_claim_approved_and_paid(world, settings):
    settings.PAYMENT_SCHEDULE = {"weekday": 1, "every": "weekly", "first": None, "days_to_bank": 2}
    today = timezone.localdate()
    claim = make_claim(
        world.c,
        world.project,
        [line("time_hours", when=today - timedelta(days=3)), line(when=today - timedelta(days=9))],
    )
    assert first(world.c) is None  # sent, not yet accepted

    claims.claim_approve(claim_id=claim.pk, actor=world.lead)
    assert first(world.c) == today - timedelta(days=9)  # its earliest line, whatever the kind

    batch = claims.batch_create(actor=world.finance)
    claims.batch_mark_paid(batch_id=batch.pk, actor=world.finance, reference="R1", paid_on=today)
    assert first(world.c) == today - timedelta(days=9)


def test_a_claim_rejected_is_not_involvement(world):
    claim = make_claim(world.c, world.project, [line(when=timezone.localdate() - timedelta(days=2))])
    claims.claim_reject(claim_id=claim.pk, actor=world.lead, reason="Claimed twice.")
    assert first(world.c) is None


def test_a_cost_paid_directly(world):
    day = timezone.localdate() - timedelta(days=4)
    claims.direct_cost_record(
        actor=world.lead,
        contributor=world.c,
        project=world.project,
        kind="taxi",
        date=day,
        description="Taxi to the hospital",
        amount=Decimal("12.00"),
    )
    assert first(world.c) == day


def test_attendance_recorded_and_corrected(world):
    start = timezone.now() - timedelta(days=20)
    meeting = MeetingFactory(project=world.project, start=start, end=start + timedelta(hours=2))
    for person in (world.a, world.c):
        MeetingInvitation.objects.create(meeting=meeting, contributor=person)

    attendance_record(meeting_id=meeting.pk, actor=world.lead, attended_ids=[world.c.pk, world.a.pk])
    assert first(world.c) == timezone.localdate(start)
    assert first(world.a) == date(2025, 3, 31)  # already involved earlier: unchanged

    # Recorded wrongly: Cai did not come after all.
    attendance_record(meeting_id=meeting.pk, actor=world.lead, attended_ids=[world.a.pk])
    assert first(world.c) is None


def test_erasure_keeps_it_and_the_report_does_not_change(world):
    before = funder_report(project=None, period=PERIOD).people
    person_anonymise(user=world.d, actor=world.admin)
    # The claims and attendance behind it are kept for the accounts, so the day is too.
    assert first(world.d) == date(2025, 3, 31)
    assert funder_report(project=None, period=PERIOD).people == before == {"involved": 3, "new": 1}


def test_the_organisation_report_counts_new_people_from_it(world):
    # Nobody's day kept (as if never worked out): everyone involved looks new. The report reads
    # the kept day, which is why every write above keeps it.
    User.objects.update(first_involved_on=None)
    assert funder_report(project=None, period=PERIOD).people == {"involved": 3, "new": 3}
    first_involvement_refresh([world.a.pk, world.d.pk])
    assert funder_report(project=None, period=PERIOD).people == {"involved": 3, "new": 1}

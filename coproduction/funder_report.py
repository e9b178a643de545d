"""The report a funder asks for: involvement, money, people, meetings and reach over a period,
for one project or the whole organisation.

It spans apps (meetings from projects/, claims from expenses/, monitoring from contributors/),
so it is composed here. Every figure is an aggregate worked out by PostgreSQL: nothing loops
over claims, lines or meetings in Python, so the page costs the same at any size of
organisation (a fixed number of queries, pinned in tests/funder_report/).

What each figure means (the README says the same for staff):
- Involvement hours: each attended meeting's length for each person recorded as attending, plus
  time claimed on claims a reviewer accepted (approved or paid), by the date of the activity.
  Hours are hours; a half day counts HALF_DAY_HOURS and a day DAY_HOURS; fixed fees have no hours.
  Time claimed on a claim for a meeting counts only beyond that meeting's length, because the
  meeting is counted already.
- Money paid: paid claims only, by the date they were paid (the bank date finance entered for a
  batch; the day it was recorded for a cost we paid directly), for time and for expenses.
- Contributors: people who attended a meeting held in the period or had time or costs accepted
  for activity in it; "new" are those with no such involvement before the period.
- Meetings held: not cancelled, started by now; attendance counts their invitations.
- Reach: the equality monitoring answers of those contributors, as ranges (core/suppression.py,
  the reach report's rule).
- Feedback and outcomes: the outcomes work's own selectors (projects/selectors/feedback.py and
  outcomes.py): feedback as ranges month by month, and the outcomes of meetings held in the
  period with their actions.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncYear
from django.utils import timezone

from contributors.selectors import monitoring_aggregates
from core.dates import financial_year_bounds
from core.db import HoursBetween
from expenses.models import Claim, ClaimLine, PaymentBatch
from projects.models import Meeting, MeetingInvitation, Project
from projects.selectors.feedback import feedback_summary
from projects.selectors.outcomes import outcomes_and_actions

HALF_DAY_HOURS = Decimal("3.5")
DAY_HOURS = Decimal("7")
ACCEPTED = (Claim.Status.APPROVED, Claim.Status.PAID)
ZERO = Decimal("0.00")
HOURS = DecimalField(max_digits=12, decimal_places=2)
MONEY = DecimalField(max_digits=14, decimal_places=2)
# Longer periods are charted by financial year rather than by month.
MONTHS_CHARTED = 24


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def first_moment(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def after_moment(self) -> datetime:
        return datetime.combine(
            self.end + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )

    @property
    def by_month(self) -> bool:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month < MONTHS_CHARTED


def default_period(today: date | None = None) -> Period:
    """The current financial year (1 April to 31 March), up to its end."""
    return Period(*financial_year_bounds(today or timezone.localdate()))


@dataclass
class FunderReport:
    project: Project | None
    period: Period
    hours: dict
    money: dict
    people: dict
    meetings: dict
    money_by_time: list = field(default_factory=list)
    meetings_by_time: list = field(default_factory=list)
    reach: list = field(default_factory=list)
    feedback: dict = field(default_factory=dict)
    outcomes: list = field(default_factory=list)


# --- the parts, each one query --------------------------------------------------------------
def _meetings(project: Project | None, period: Period):
    qs = Meeting.objects.filter(start__gte=period.first_moment, start__lt=period.after_moment)
    return qs.filter(project=project) if project is not None else qs


def _attended(project: Project | None, period: Period):
    qs = MeetingInvitation.objects.filter(
        attended=True,
        meeting__cancelled_at__isnull=True,
        meeting__start__gte=period.first_moment,
        meeting__start__lt=period.after_moment,
    )
    return qs.filter(meeting__project=project) if project is not None else qs


def _accepted_time_lines(project: Project | None, period: Period):
    qs = ClaimLine.objects.filter(
        kind__in=(ClaimLine.Kind.TIME_HOURS, ClaimLine.Kind.TIME_HALF_DAY, ClaimLine.Kind.TIME_DAY),
        date__gte=period.start,
        date__lte=period.end,
        claim__status__in=ACCEPTED,
    )
    return qs.filter(claim__project=project) if project is not None else qs


def _line_hours():
    return Case(
        When(kind=ClaimLine.Kind.TIME_HALF_DAY, then=F("quantity") * Value(HALF_DAY_HOURS)),
        When(kind=ClaimLine.Kind.TIME_DAY, then=F("quantity") * Value(DAY_HOURS)),
        default=F("quantity"),
        output_field=HOURS,
    )


def _meeting_length_hours(prefix: str = ""):
    return HoursBetween(F(f"{prefix}start"), F(f"{prefix}end"))


def involvement_hours(project: Project | None, period: Period) -> dict:
    """Hours at meetings and other time claimed, in two queries."""
    at_meetings = _attended(project, period).aggregate(
        hours=Coalesce(Sum(_meeting_length_hours("meeting__")), Value(0.0))
    )["hours"]
    # Per claim: its accepted time in the period, less its meeting's length (counted above);
    # then the sum of what is left. The inner grouping is one pass over the period's time lines.
    counted_meeting = MeetingInvitation.objects.filter(
        meeting_id=OuterRef("claim__meeting_id"),
        contributor_id=OuterRef("claim__contributor_id"),
        attended=True,
        meeting__cancelled_at__isnull=True,
        meeting__start__gte=period.first_moment,
        meeting__start__lt=period.after_moment,
    )
    per_claim = (
        _accepted_time_lines(project, period)
        .values("claim_id")
        .annotate(
            claimed=Sum(_line_hours()),
            meeting_hours=Coalesce(
                Max(
                    Case(
                        When(Exists(counted_meeting), then=_meeting_length_hours("claim__meeting__")),
                        default=None,
                        output_field=FloatField(),
                    )
                ),
                Value(0.0),
            ),
        )
        .values("claim_id", "claimed", "meeting_hours")
    )
    sql, params = per_claim.query.sql_with_params()
    with connection.cursor() as cursor:
        # SQLite (the `make run` default) has neither GREATEST nor ::numeric; its MAX(a, b) is one.
        beyond = (
            "GREATEST(claimed - meeting_hours::numeric, 0)"
            if connection.vendor == "postgresql"
            else "MAX(claimed - meeting_hours, 0)"
        )
        cursor.execute(f"SELECT COALESCE(SUM({beyond}), 0) FROM ({sql}) AS per_claim", params)
        (other,) = cursor.fetchone()
    meetings = Decimal(str(at_meetings)).quantize(Decimal("0.01"))
    other = Decimal(str(other)).quantize(Decimal("0.01"))
    return {"at_meetings": meetings, "other": other, "total": meetings + other}


def batches_paid_in(period: Period) -> list[int]:
    """The payment batches the bank paid in the period: a few a month, one small query."""
    return list(
        PaymentBatch.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end).values_list(
            "pk", flat=True
        )
    )


def _paid_claims(project: Project | None, period: Period, batch_ids: list[int]):
    """Paid claims whose payment date is in the period: the batch's bank date, or for a claim
    paid without a batch (a cost we paid directly) the day it was recorded. The batches' ids are
    given as a list, not a subquery, so PostgreSQL estimates the claims well and reads them by
    the batch and paid_at indexes for a short period (EXPLAIN: a BitmapOr of both)."""
    qs = Claim.objects.filter(status=Claim.Status.PAID).filter(
        Q(batch_id__in=batch_ids)
        | Q(batch__isnull=True, paid_at__gte=period.first_moment, paid_at__lt=period.after_moment)
    )
    return qs.filter(project=project) if project is not None else qs


MONEY_FIGURES = dict(
    time=Coalesce(Sum("time_amount"), Value(ZERO), output_field=MONEY),
    expenses=Coalesce(Sum("expenses_amount"), Value(ZERO), output_field=MONEY),
    total=Coalesce(Sum("total"), Value(ZERO), output_field=MONEY),
    paid_directly=Coalesce(
        Sum("expenses_amount", filter=Q(organisation_paid=True)), Value(ZERO), output_field=MONEY
    ),
    claims=Count("pk"),
)


def money_paid(project: Project | None, period: Period, batch_ids: list[int]) -> dict:
    return _paid_claims(project, period, batch_ids).aggregate(**MONEY_FIGURES)


def money_in_all(rows: list[dict]) -> dict:
    """The period's money paid, added up from money_by_time()'s rows (a few dozen at most):
    the same figures as money_paid() without reading the claims again."""
    totals = {name: ZERO for name in MONEY_FIGURES if name != "claims"}
    totals["claims"] = 0
    for row in rows:
        for name in totals:
            totals[name] += row[name]
    return totals


def _paid_on():
    return Coalesce("batch__paid_on", TruncDate("paid_at"))


def money_by_time(project: Project | None, period: Period, batch_ids: list[int]) -> list[dict]:
    """Money paid per month (or per year for a long period), oldest first."""
    trunc = TruncMonth if period.by_month else TruncYear
    rows = (
        _paid_claims(project, period, batch_ids)
        .annotate(bucket=trunc(_paid_on()))
        .order_by()
        .values("bucket")
        .annotate(**MONEY_FIGURES)
        .order_by("bucket")
    )
    return list(rows)


def meetings_and_attendance(project: Project | None, period: Period) -> dict:
    """Meetings in the period: held, cancelled, still to come; and the held ones' invitations."""
    now = timezone.now()
    held = Q(cancelled_at__isnull=True, start__lte=now)
    figures = _meetings(project, period).aggregate(
        held=Count("pk", filter=held),
        cancelled=Count("pk", filter=Q(cancelled_at__isnull=False)),
        to_come=Count("pk", filter=Q(cancelled_at__isnull=True, start__gt=now)),
    )
    invitations = MeetingInvitation.objects.filter(
        meeting__in=_meetings(project, period).filter(held).values("pk")
    ).aggregate(
        invited=Count("pk"),
        came=Count("pk", filter=Q(attended=True)),
        absent=Count("pk", filter=Q(attended=False)),
        not_recorded=Count("pk", filter=Q(attended__isnull=True)),
    )
    # Named "came" in SQL: an aggregate called "attended" would hide the field of that name.
    invitations["attended"] = invitations.pop("came")
    figures.update(invitations)
    figures["attendance_percent"] = (
        round(100 * figures["attended"] / figures["invited"]) if figures["invited"] else None
    )
    return figures


def meetings_by_time(project: Project | None, period: Period) -> list[dict]:
    """Meetings held and their attendance per month (or year), oldest first."""
    trunc = TruncMonth if period.by_month else TruncYear
    now = timezone.now()
    qs = MeetingInvitation.objects.filter(
        meeting__in=_meetings(project, period).filter(cancelled_at__isnull=True, start__lte=now).values("pk")
    )
    rows = list(
        qs.annotate(bucket=trunc("meeting__start"))
        .order_by()
        .values("bucket")
        .annotate(
            meetings=Count("meeting_id", distinct=True),
            invited=Count("pk"),
            came=Count("pk", filter=Q(attended=True)),
        )
        .order_by("bucket")
    )
    for row in rows:
        row["attended"] = row.pop("came")
    return rows


def _involvement_before(project: Project | None, period: Period):
    """Anything that made someone a contributor before the period, for one person (OuterRef)."""
    before_meeting = MeetingInvitation.objects.filter(
        contributor_id=OuterRef("pk"),
        attended=True,
        meeting__cancelled_at__isnull=True,
        meeting__start__lt=period.first_moment,
    )
    before_claim = ClaimLine.objects.filter(
        claim__contributor_id=OuterRef("pk"),
        claim__status__in=ACCEPTED,
        date__lt=period.start,
    )
    if project is not None:
        before_meeting = before_meeting.filter(meeting__project=project)
        before_claim = before_claim.filter(claim__project=project)
    return Exists(before_meeting) | Exists(before_claim)


def people_involved(project: Project | None, period: Period):
    """The ids of everyone involved in the period (a subquery: no list in Python)."""
    at_meetings = _attended(project, period).values("contributor_id")
    lines = ClaimLine.objects.filter(date__gte=period.start, date__lte=period.end, claim__status__in=ACCEPTED)
    if project is not None:
        lines = lines.filter(claim__project=project)
    # A union, not "in A or in B": PostgreSQL then estimates the (usually few) people well
    # instead of guessing at a share of everyone, which made it plan for thousands.
    # Without the models' default ordering: sorting 600,000 lines for a union took half its time.
    return at_meetings.order_by().union(lines.order_by().values("claim__contributor_id"))


def _claims_in_period(period: Period):
    """Each accepted claim with activity in the period (a line of any kind dated in it): its
    person, its meeting and the hours of time claimed on its lines in the period."""
    time_only = Case(
        When(kind=ClaimLine.Kind.TIME_HOURS, then=F("quantity")),
        When(kind=ClaimLine.Kind.TIME_HALF_DAY, then=F("quantity") * Value(HALF_DAY_HOURS)),
        When(kind=ClaimLine.Kind.TIME_DAY, then=F("quantity") * Value(DAY_HOURS)),
        default=Value(ZERO),
        output_field=HOURS,
    )
    return (
        ClaimLine.objects.filter(date__gte=period.start, date__lte=period.end, claim__status__in=ACCEPTED)
        .order_by()
        .values("claim_id", person=F("claim__contributor_id"), meeting=F("claim__meeting_id"))
        .annotate(claimed=Sum(time_only))
    )


def _keep_organisation_tables(period: Period) -> None:
    """The organisation's report reads every claim line of the period twice otherwise (who was
    involved, and hours per claim): most of its time at N=10 (bench/README.md). Instead one pass
    keeps, for the report's transaction, a temporary table of the period's accepted claims (one
    row each: person, meeting, hours claimed) and one of the people involved (those claims'
    people and everyone who attended a meeting held in it), analysed so the joins on it are
    planned for its size. Four statements, the first dropping tables left by an earlier report
    in the same transaction."""
    claims_sql, claims_params = _claims_in_period(period).query.sql_with_params()
    at_meetings_sql, at_meetings_params = (
        _attended(None, period).order_by().values("contributor_id").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.funder_report_claims, pg_temp.funder_report_people")
        cursor.execute(
            f"CREATE TEMPORARY TABLE funder_report_claims ON COMMIT DROP AS {claims_sql}", claims_params
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE funder_report_people ON COMMIT DROP AS"
            f" SELECT person FROM pg_temp.funder_report_claims UNION {at_meetings_sql}",
            at_meetings_params,
        )
        cursor.execute("ANALYZE pg_temp.funder_report_people")


def _organisation_hours(period: Period) -> dict:
    """involvement_hours() for the organisation, from the kept claims: the same rule (time
    claimed counts beyond the length of the claim's meeting when that meeting, held in the
    period and not cancelled, is counted as attended by the same person)."""
    at_meetings = _attended(None, period).aggregate(
        hours=Coalesce(Sum(_meeting_length_hours("meeting__")), Value(0.0))
    )["hours"]
    meetings, invitations = Meeting._meta.db_table, MeetingInvitation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(GREATEST(c.claimed"
            ' - COALESCE(EXTRACT(epoch FROM m."end" - m.start) / 3600.0, 0)::numeric, 0)), 0)'
            " FROM pg_temp.funder_report_claims c"
            f" LEFT JOIN {meetings} m ON m.id = c.meeting AND m.cancelled_at IS NULL"
            " AND m.start >= %s AND m.start < %s"
            f" AND EXISTS (SELECT 1 FROM {invitations} i"
            " WHERE i.meeting_id = m.id AND i.contributor_id = c.person AND i.attended)",
            [period.first_moment, period.after_moment],
        )
        (other,) = cursor.fetchone()
    meetings = Decimal(str(at_meetings)).quantize(Decimal("0.01"))
    other = Decimal(other).quantize(Decimal("0.01"))
    return {"at_meetings": meetings, "other": other, "total": meetings + other}


def contributors(project: Project | None, period: Period, people=None) -> dict:
    """How many people were involved, and how many of them for the first time. One query.

    For the organisation, "involved before the period" is the first-involvement date the
    services keep on each person (contributors/involvement.py): an indexed comparison instead
    of looking through 50,000 people's claims and meetings. For a project it is looked up."""
    from contributors.models import User

    if people is None:
        people = people_involved(project, period)
    involved = User.objects.filter(pk__in=people)
    if project is None:
        before = Q(first_involved_on__lt=period.start)
    else:
        before = _involvement_before(project, period)
    return involved.aggregate(involved=Count("pk"), returning=Count("pk", filter=before))


def _without_jit():
    """PostgreSQL compiles a query to machine code when its estimated cost is high (jit_above_cost);
    these aggregates are estimated high at organisation level but run in tens of milliseconds,
    and compiling them took 150 to 250 ms each (EXPLAIN ANALYZE, N=1). Off for this report's
    transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


@transaction.atomic
def funder_report(*, project: Project | None, period: Period) -> FunderReport:
    _without_jit()
    if project is None and connection.vendor == "postgresql":
        _keep_organisation_tables(period)
        involved = RawSQL("SELECT person FROM pg_temp.funder_report_people", ())
        hours = _organisation_hours(period)
    else:  # a project's few claims and people: asked twice is cheaper than tables
        involved = people_involved(project, period)
        hours = involvement_hours(project, period)
    people = contributors(project, period, involved)
    people["new"] = people["involved"] - people.pop("returning")
    batch_ids = batches_paid_in(period)
    by_time = money_by_time(project, period, batch_ids)
    return FunderReport(
        project=project,
        period=period,
        hours=hours,
        money=money_in_all(by_time),
        people=people,
        meetings=meetings_and_attendance(project, period),
        money_by_time=by_time,
        meetings_by_time=meetings_by_time(project, period),
        reach=monitoring_aggregates(people=involved),
        # Month by month: a row per meeting would be thousands for the organisation.
        feedback=feedback_summary(project=project, start=period.start, end=period.end, by="month"),
        outcomes=outcomes_and_actions(project=project, start=period.start, end=period.end),
    )

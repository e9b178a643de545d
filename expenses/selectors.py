"""Every read with rules in expenses/."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from projects.selectors.access import projects_managed_by

from . import pricing
from .models import Claim, ClaimLine, PaymentBatch, Receipt

Status = Claim.Status
WAITING_FOR_REVIEW = (Status.SUBMITTED,)
PAYMENT_PROMISE = "payments are made in the next weekly batch, usually within 10 working days"


def is_finance(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and (user.is_finance or user.is_superuser))


def spend_by_budget_line(*, project_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Approved and paid totals per budget line id: {line_id: {"approved": D, "paid": D}}.

    "approved" is approved but not yet paid; "paid" is paid (including costs the organisation
    paid directly). Spent = approved + paid. Lines with no spend are absent.
    """
    result: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"approved": Decimal("0.00"), "paid": Decimal("0.00")}
    )
    rows = (
        ClaimLine.objects.filter(
            claim__project_id__in=project_ids,
            claim__status__in=(Status.APPROVED, Status.PAID),
            budget_line__isnull=False,
        )
        .values("budget_line_id", "claim__status")
        .annotate(s=Sum("amount"))
    )
    for row in rows:
        key = "paid" if row["claim__status"] == Status.PAID else "approved"
        result[row["budget_line_id"]][key] += row["s"] or Decimal("0.00")
    return dict(result)


def claims_visible_to(user) -> QuerySet[Claim]:
    """Contributors see their own; project staff their projects'; finance and admins all."""
    if not user.is_authenticated:
        return Claim.objects.none()
    if is_finance(user):
        return Claim.objects.all()
    if user.is_staff:
        return Claim.objects.filter(
            Q(project__in=projects_managed_by(user)) | Q(contributor=user) | Q(entered_by=user)
        )
    return Claim.objects.filter(contributor=user)


def get_claim_for_user(user, pk) -> Claim:
    return get_object_or_404(
        claims_visible_to(user).select_related("project", "contributor", "meeting", "batch", "entered_by"),
        pk=pk,
    )


def get_receipt_for_user(user, pk) -> Receipt:
    return get_object_or_404(Receipt.objects.filter(claim__in=claims_visible_to(user)), pk=pk)


def claims_for_review(user) -> QuerySet[Claim]:
    """Claims waiting for this person's review: on projects they manage, not their own."""
    if not (user.is_authenticated and user.is_staff):
        return Claim.objects.none()
    base = (
        Claim.objects.all()
        if is_finance(user)
        else Claim.objects.filter(project__in=projects_managed_by(user))
    )
    # Drafts stay the contributor's own until sent.
    return (
        base.exclude(contributor=user)
        .exclude(status=Status.DRAFT)
        .select_related("project", "contributor")
        .order_by("submitted_at", "pk")
    )


def reviewers_for_claim(claim: Claim):
    """Who should review a claim: the project's lead and team (admins and finance also can)."""
    from contributors.models import User

    return (
        User.objects.filter(
            Q(projects_led=claim.project_id) | Q(project_teams=claim.project_id), is_active=True
        )
        .exclude(pk=claim.contributor_id)
        .distinct()
    )


def claims_of(user) -> QuerySet[Claim]:
    return Claim.objects.filter(contributor=user).select_related("project", "batch").order_by("-created_at")


def expected_payment(claim: Claim) -> str:
    """When the contributor can expect the money, in words."""

    def day(value):
        if value is None:
            return ""
        return (value.date() if hasattr(value, "date") else value).strftime("%-d %B %Y")

    if claim.organisation_paid:
        return "Paid directly by us: there is nothing for you to pay or claim."
    if claim.status == Status.DRAFT:
        return "Not sent yet. Send it when it is ready so it can be reviewed."
    if claim.status == Status.SUBMITTED:
        return (
            f"Sent on {day(claim.submitted_at)}. Staff review claims, usually within 5 working days; "
            f"once approved, {PAYMENT_PROMISE}."
        )
    if claim.status == Status.QUERIED:
        return "The reviewer has a question. Answer it so your claim can move on."
    if claim.status == Status.APPROVED:
        return f"Approved on {day(claim.approved_at)}; {PAYMENT_PROMISE}."
    if claim.status == Status.REJECTED:
        return f"Not approved: {claim.rejection_reason}"
    paid_on = claim.batch.paid_on if claim.batch_id and claim.batch else claim.paid_at
    return f"Paid on {day(paid_on)}."


def claim_events(claim: Claim):
    return claim.events.select_related("actor").order_by("created_at", "pk")


def batches() -> QuerySet[PaymentBatch]:
    return (
        PaymentBatch.objects.select_related("created_by")
        .annotate(claim_total=Sum("claims__total"))
        .order_by("-created_at")
    )


def claims_ready_for_batch() -> QuerySet[Claim]:
    return Claim.objects.filter(status=Status.APPROVED, batch__isnull=True, organisation_paid=False)


def batch_claims(batch: PaymentBatch) -> QuerySet[Claim]:
    return batch.claims.select_related("contributor", "project").order_by("pk")


BATCH_CSV_HEADER = [
    "claim id",
    "contributor",
    "email",
    "payment preference",
    "project",
    "amount for time",
    "amount for expenses",
    "total",
    "approved on",
]

PREFERENCE_WORDS = {
    "paid": "money",
    "vouchers": "VOUCHERS",
    "expenses_only": "expenses only (declined payment)",
}


def batch_csv_rows(batch: PaymentBatch, chunk_size: int = 2000):
    """Rows for the batch CSV, read in chunks so a huge batch does not fill memory."""
    yield BATCH_CSV_HEADER
    rows = (
        batch.claims.order_by("pk")
        .values_list(
            "pk",
            "contributor__name",
            "contributor__email",
            "payment_preference",
            "project__title",
            "time_amount",
            "expenses_amount",
            "total",
            "approved_at",
        )
        .iterator(chunk_size=chunk_size)
    )
    for pk, name, email, preference, project, time_amount, expenses, total, approved_at in rows:
        yield [
            pk,
            name or email,
            email,
            PREFERENCE_WORDS.get(preference, preference),
            project,
            f"{time_amount:.2f}",
            f"{expenses:.2f}",
            f"{total:.2f}",
            approved_at.date().isoformat() if approved_at else "",
        ]


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


def current_tax_year(today: date) -> int:
    return pricing.tax_year_start(today).year


def yearly_totals(*, start_year: int):
    """Per contributor, what was paid in a tax year for time and what was reimbursed.

    A payment falls in the tax year of the bank date finance entered ("Mark paid": the batch's
    paid_on), not the day someone clicked the button: a batch paid on 5 April belongs to the
    year that ends then even if it was recorded on the 7th. Costs the organisation paid directly
    are left out, because no money reached the contributor.
    """
    from datetime import datetime, time

    from django.utils import timezone

    start, end = tax_year_bounds(start_year)
    tz = timezone.get_current_timezone()
    unbatched = Q(
        batch__isnull=True,
        paid_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        paid_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
    return (
        Claim.objects.filter(status=Status.PAID, organisation_paid=False)
        .filter(Q(batch__paid_on__gte=start, batch__paid_on__lte=end) | unbatched)
        .values("contributor_id", "contributor__name", "contributor__email")
        .annotate(time=Sum("time_amount"), expenses=Sum("expenses_amount"), total=Sum("total"))
        .order_by("contributor__name", "contributor__email")
    )


YEARLY_CSV_HEADER = ["contributor", "email", "tax year", "paid for time", "reimbursed expenses", "total"]


def yearly_csv_rows(*, start_year: int, chunk_size: int = 2000):
    yield YEARLY_CSV_HEADER
    label = f"{start_year}-{str(start_year + 1)[-2:]}"
    for row in yearly_totals(start_year=start_year).iterator(chunk_size=chunk_size):
        yield [
            row["contributor__name"] or row["contributor__email"],
            row["contributor__email"],
            label,
            f"{row['time']:.2f}",
            f"{row['expenses']:.2f}",
            f"{row['total']:.2f}",
        ]


def meetings_to_claim_for(user, *, within_days: int = 90):
    """Meetings this contributor attended recently and has not claimed for yet."""
    from django.utils import timezone

    from projects.models import MeetingInvitation

    since = timezone.now() - timedelta(days=within_days)
    return (
        MeetingInvitation.objects.filter(contributor=user, attended=True, meeting__start__gte=since)
        .exclude(meeting__claims__contributor=user)
        .select_related("meeting", "meeting__project")
        .order_by("-meeting__start")
    )

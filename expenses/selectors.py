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
        # SQLite sums decimals as floats (5.40000000000000): back to pounds and pence.
        result[row["budget_line_id"]][key] += (row["s"] or Decimal("0.00")).quantize(Decimal("0.01"))
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

    Counts claims paid to the contributor (by the day they were paid); costs the organisation
    paid directly are left out, because no money reached the contributor.
    """
    from django.utils import timezone

    start, end = tax_year_bounds(start_year)
    tz = timezone.get_current_timezone()
    from datetime import datetime, time

    start_dt = datetime.combine(start, time.min, tzinfo=tz)
    end_dt = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return (
        Claim.objects.filter(
            status=Status.PAID, organisation_paid=False, paid_at__gte=start_dt, paid_at__lt=end_dt
        )
        .values("contributor_id", "contributor__name", "contributor__email")
        .annotate(time=Sum("time_amount"), expenses=Sum("expenses_amount"), total=Sum("total"))
        .order_by("contributor__name", "contributor__email")
    )


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


# --- "Download my data" (put together in coproduction/personal_data.py) ---
def receipts_of(user) -> QuerySet[Receipt]:
    """The receipts on a person's own claims, whoever uploaded them."""
    return Receipt.objects.filter(claim__contributor=user).order_by("claim_id", "pk")


def _who(person_id, user) -> str | None:
    return None if person_id is None else "you" if person_id == user.pk else "staff"


def _version(version, user, **fields) -> dict:
    from core.personal_data import record, when

    return {
        "record": record(version),
        "when": when(version.history_date),
        "change": version.get_history_type_display(),
        "by": _who(version.history_user_id, user),
        **fields,
    }


def _claim_data(claim: Claim, user, history: dict, link) -> dict:
    from django.urls import reverse

    from core.personal_data import record, when

    return {
        "record": record(claim),
        "project": claim.project.title,
        "meeting": claim.meeting.title if claim.meeting else None,
        "status": claim.get_status_display(),
        "entered_by": _who(claim.entered_by_id, user),
        "paid_directly_by_us": claim.organisation_paid,
        "payment_preference": claim.payment_preference,
        "for_time": str(claim.time_amount),
        "for_expenses": str(claim.expenses_amount),
        "total": str(claim.total),
        "not_approved_because": claim.rejection_reason,
        "created": when(claim.created_at),
        "sent": when(claim.submitted_at),
        "approved": when(claim.approved_at),
        "paid": when(claim.paid_at),
        "payment_batch": claim.batch_id,
        "lines": [
            {
                "record": record(line),
                "kind": line.get_kind_display(),
                "date": when(line.date),
                "description": line.description,
                "quantity": None if line.quantity is None else str(line.quantity),
                "rate": None if line.rate is None else str(line.rate),
                "amount": str(line.amount),
                "how_it_was_priced": line.pricing_note,
            }
            for line in claim.lines.all()
        ],
        "receipts": [
            {
                "record": record(receipt),
                "file_name": receipt.original_name,
                "type": receipt.content_type,
                "size_bytes": receipt.size,
                "line": receipt.line_id,
                "uploaded": when(receipt.uploaded_at),
                # Opens only for the claimant (and the staff who review the claim).
                "download": link(reverse("expenses:receipt", args=[receipt.pk])) if receipt.file else None,
                "file_removed": when(receipt.file_removed_at),
                "why_removed": receipt.file_removed_note,
            }
            for receipt in claim.receipts.all()
        ],
        "conversation": [
            {
                "record": record(event),
                "when": when(event.created_at),
                "by": "you" if event.actor_id == user.pk else event.actor.display_name,
                "from": event.get_from_status_display(),
                "to": event.get_to_status_display(),
                "comment": event.comment,
            }
            for event in claim.events.all()
        ],
        "versions": [
            _version(v, user, status=v.get_status_display(), total=str(v.total), reason=v.rejection_reason)
            for v in history["claim"][claim.pk]
        ],
        "line_versions": [
            _version(v, user, line=v.id, description=v.description, amount=str(v.amount))
            for v in history["line"][claim.pk]
        ],
        "receipt_versions": [
            _version(v, user, receipt=v.id, file_name=v.original_name) for v in history["receipt"][claim.pk]
        ],
    }


def personal_data_expenses(user, *, link=lambda path: path) -> dict:
    """Claims with their lines, receipts (a link to each file), conversation and every earlier
    version; and the payment batches that paid them. `link` makes a path a full address."""
    from django.db.models import Prefetch

    from core.personal_data import record, records_naming, when

    from .models import ClaimEvent

    events = ClaimEvent.objects.select_related("actor").order_by("created_at", "pk")
    claims = list(
        Claim.objects.filter(contributor=user)
        .select_related("project", "meeting", "batch")
        .prefetch_related(
            "lines",
            Prefetch("receipts", queryset=Receipt.objects.order_by("pk")),
            Prefetch("events", queryset=events),
        )
        .order_by("pk")
    )
    ids = [claim.pk for claim in claims]
    history = {"claim": defaultdict(list), "line": defaultdict(list), "receipt": defaultdict(list)}
    for version in Claim.history.filter(id__in=ids).order_by("history_date", "history_id"):
        history["claim"][version.id].append(version)
    for version in ClaimLine.history.filter(claim_id__in=ids).order_by("history_date", "history_id"):
        history["line"][version.claim_id].append(version)
    for version in Receipt.history.filter(claim_id__in=ids).order_by("history_date", "history_id"):
        history["receipt"][version.claim_id].append(version)

    batches: dict[int, dict] = {}
    for claim in claims:
        if claim.batch_id:
            batch = batches.setdefault(
                claim.batch_id,
                {
                    "record": record(claim.batch),
                    "reference": claim.batch.reference,
                    "status": claim.batch.get_status_display(),
                    "paid_on": when(claim.batch.paid_on),
                    "your_claims": [],
                    "paid_to_you": Decimal("0.00"),
                },
            )
            batch["your_claims"].append(claim.pk)
            batch["paid_to_you"] += claim.total
    return {
        "claims": [_claim_data(claim, user, history, link) for claim in claims],
        "payments": [{**batch, "paid_to_you": str(batch["paid_to_you"])} for batch in batches.values()],
        "records_that_name_you": records_naming(
            user,
            [
                (Claim, "entered_by"),
                (Claim, "reviewed_by"),
                (Receipt, "uploaded_by"),
                (ClaimEvent, "actor"),
                (PaymentBatch, "created_by"),
                (PaymentBatch, "paid_by"),
                (Claim.history.model, "entered_by"),
                (Claim.history.model, "reviewed_by"),
                (Claim.history.model, "history_user"),
                (ClaimLine.history.model, "history_user"),
                (Receipt.history.model, "uploaded_by"),
                (Receipt.history.model, "history_user"),
                (PaymentBatch.history.model, "created_by"),
                (PaymentBatch.history.model, "paid_by"),
                (PaymentBatch.history.model, "history_user"),
            ],
        ),
    }

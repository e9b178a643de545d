"""Every read with rules in expenses/."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.dates import tax_year_bounds
from projects.models import MeetingInvitation, Project, RoleOffer
from projects.selectors.access import projects_managed_by

from . import schedule
from .access import is_finance
from .models import Claim, ClaimLine, PaymentBatch, Rate, Receipt

Status = Claim.Status
WAITING_FOR_REVIEW = (Status.SUBMITTED,)


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


def projects_claimable_by(user) -> QuerySet[Project]:
    """Projects someone can have a claim on: they hold an accepted role on it, or their
    attendance at one of its meetings is recorded (a one-off attendee, such as a focus-group
    member, claims for what they attended). Every door checks this: own claims, claims staff
    enter for someone, costs paid directly, and a draft when it is sent."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(
        Q(pk__in=RoleOffer.objects.filter(contributor=user, status=RoleOffer.Status.ACCEPTED).values(
            "role__project_id"))
        | Q(pk__in=MeetingInvitation.objects.filter(contributor=user, attended=True).values(
            "meeting__project_id"))
    )


def can_claim_on(user, project) -> bool:
    return projects_claimable_by(user).filter(pk=project.pk).exists()


def rate_in_use(rate: Rate) -> bool:
    """A sent claim has a line priced with this rate (its kind, dated from when the rate took
    effect until the next rate of that kind): then the rate is part of the record."""
    kind = ClaimLine.Kind.MILEAGE_CAR if rate.kind == Rate.Kind.CAR_OVER_10000 else rate.kind
    lines = ClaimLine.objects.filter(kind=kind, date__gte=rate.effective_from).exclude(
        claim__status=Status.DRAFT
    )
    if rate.role_id:  # a role's card prices only claims on its project
        lines = lines.filter(claim__project_id=rate.role.project_id)
    following = (
        Rate.objects.filter(kind=rate.kind, role=rate.role_id, effective_from__gt=rate.effective_from)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if following:
        lines = lines.filter(date__lt=following)
    return lines.exists()


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


def review_queue_projects(claims: QuerySet[Claim], *, status: str | None = None, chosen=None):
    """The review queue's project filter: (pk, title) of the projects with claims in the queue
    (in the chosen status, if any), plus the chosen project so the choice stays valid. One query."""
    from projects.models import Project

    in_queue = claims.order_by()
    if status in Claim.Status.values:
        in_queue = in_queue.filter(status=status)
    wanted = Q(pk__in=in_queue.values("project_id"))
    if str(chosen or "").isdigit():
        wanted |= Q(pk=int(chosen), pk__in=claims.order_by().values("project_id"))
    return Project.objects.filter(wanted).order_by("title", "pk").values_list("pk", "title")


def claims_of(user) -> QuerySet[Claim]:
    return Claim.objects.filter(contributor=user).select_related("project", "batch").order_by("-created_at")


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date"):
        value = timezone.localtime(value).date()
    return value.strftime("%-d %B %Y")


def expected_payment_dates(claim: Claim) -> tuple[date, date] | None:
    """(payment run, money in the account by) for an approved claim, from finance's schedule."""
    if claim.status != Status.APPROVED or claim.approved_at is None:
        return None
    return schedule.expected_dates(
        approved_on=timezone.localtime(claim.approved_at).date(), today=timezone.localdate()
    )


def expected_payment(claim: Claim) -> str:
    """When the contributor can expect the money, in words, from finance's payment schedule."""
    day = _day

    if claim.organisation_paid:
        return "Paid directly by us: there is nothing for you to pay or claim."
    if claim.status == Status.DRAFT:
        return "Not sent yet. Send it when it is ready so it can be reviewed."
    if claim.status == Status.SUBMITTED:
        return (
            f"Sent on {day(claim.submitted_at)}. Staff review claims, usually within 5 working days. "
            f"{schedule.promise()}"
        )
    if claim.status == Status.QUERIED:
        return "The reviewer has a question. Answer it so your claim can move on."
    if claim.status == Status.APPROVED:
        run, by = expected_payment_dates(claim)
        return (
            f"Approved on {day(claim.approved_at)}. It will be paid in the payment run on {run:%A} "
            f"{day(run)}, so expect the money in your account by {by:%A} {day(by)}."
        )
    if claim.status == Status.REJECTED:
        return f"Not approved: {claim.rejection_reason}"
    if claim.status == Status.WITHDRAWN:
        return "Withdrawn, so it will not be paid. You can make a new claim if you need to."
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
    "limited": "money, up to a limit",
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
            str(pk),
            name or email,
            email,
            PREFERENCE_WORDS.get(preference, preference),
            project,
            f"{time_amount:.2f}",
            f"{expenses:.2f}",
            f"{total:.2f}",
            approved_at.date().isoformat() if approved_at else "",
        ]


def yearly_totals(*, start_year: int):
    """Per contributor, what was paid in a tax year for time and what was reimbursed.

    A payment falls in the tax year of the bank date finance entered ("Mark paid": the batch's
    paid_on), not the day someone clicked the button: a batch paid on 5 April belongs to the
    year that ends then even if it was recorded on the 7th. Costs the organisation paid directly
    are left out, because no money reached the contributor.
    """
    from datetime import datetime, time

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


def without_claimed_meetings(invitations: QuerySet) -> QuerySet:
    """MeetingInvitations whose contributor has not claimed for the meeting yet. Claimed means a
    claim linked to the meeting ("claim for this meeting"), or a claim on the meeting's project
    with a line on the meeting's day (a claim made another way, or entered by staff). A
    withdrawn or refused claim does not count. The dashboard's prompt and the claim-prompt
    reminder both use this, so neither offers a claim that is already made."""
    live = Claim.objects.filter(contributor=OuterRef("contributor"), status__in=Claim.LIVE_STATUSES)
    return invitations.annotate(
        meeting_day=TruncDate("meeting__start", tzinfo=timezone.get_current_timezone())
    ).exclude(
        Exists(live.filter(meeting=OuterRef("meeting")))
        | Exists(live.filter(project=OuterRef("meeting__project"), lines__date=OuterRef("meeting_day")))
    )


def meetings_to_claim_for(user, *, within_days: int = 90):
    """Meetings this contributor attended recently and has not claimed for yet."""
    since = timezone.now() - timedelta(days=within_days)
    return without_claimed_meetings(
        MeetingInvitation.objects.filter(contributor=user, attended=True, meeting__start__gte=since)
    ).select_related("meeting", "meeting__project").order_by("-meeting__start")


# --- duplicates -------------------------------------------------------------------------------


def _twin_lines(line_ref: str = ""):
    """Lines of other sent claims by the same contributor with the same date, kind and amount."""
    prefix = f"{line_ref}__" if line_ref else ""
    return ClaimLine.objects.filter(
        claim__contributor_id=OuterRef(f"{prefix}claim__contributor_id"),
        claim__status__in=Claim.SENT_STATUSES,
        date=OuterRef(f"{prefix}date"),
        kind=OuterRef(f"{prefix}kind"),
        amount=OuterRef(f"{prefix}amount"),
    ).exclude(claim_id=OuterRef(f"{prefix}claim_id"))


def flag_possible_duplicates(claims) -> list[Claim]:
    """Set possible_duplicate (as with_duplicate_flag) on a page of claims, in one query over
    the page's lines only: as an annotation on the whole queue PostgreSQL matched every sent
    line with every other (200 ms at 50,000 claims; bench/), for 25 claims it looks up each line."""
    claims = list(claims)
    flagged = set(
        ClaimLine.objects.filter(claim_id__in=[claim.pk for claim in claims])
        .filter(Exists(_twin_lines())).order_by().values_list("claim_id", flat=True).distinct()
    ) if claims else set()
    for claim in claims:
        claim.possible_duplicate = claim.pk in flagged
    return claims


def with_duplicate_flag(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate possible_duplicate: some line of the claim (same contributor, date, kind and
    amount) is also in another sent claim. In the same query, so a list costs nothing more."""
    lines = ClaimLine.objects.filter(claim_id=OuterRef("pk")).filter(Exists(_twin_lines()))
    return claims.annotate(possible_duplicate=Exists(lines))


def possible_duplicates(claim: Claim) -> list[dict]:
    """For the claim page: each line also claimed elsewhere, with the other claims. One query."""
    lines = list(claim.lines.all())
    if not lines:
        return []
    match = Q()
    for line in lines:
        match |= Q(date=line.date, kind=line.kind, amount=line.amount)
    others = (
        ClaimLine.objects.filter(match, claim__contributor_id=claim.contributor_id,
                                 claim__status__in=Claim.SENT_STATUSES)
        .exclude(claim_id=claim.pk)
        .select_related("claim")
        .order_by("claim_id")
    )
    found = defaultdict(list)
    for other in others:
        key = (other.date, other.kind, other.amount)
        if other.claim not in found[key]:
            found[key].append(other.claim)
    return [
        {"number": number, "line": line, "claims": found[(line.date, line.kind, line.amount)]}
        for number, line in enumerate(lines, start=1)
        if found[(line.date, line.kind, line.amount)]
    ]


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

    from .models import ClaimEvent, RemittanceSent, VoucherIssue

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
        "vouchers_issued": [
            {
                "record": record(issue), "reference": issue.reference, "value": str(issue.value),
                "issued_on": when(issue.issued_on), "how_sent": issue.get_how_sent_display(),
                "claims": [claim.pk for claim in issue.claims.all()],
            }
            for issue in VoucherIssue.objects.filter(person=user).prefetch_related("claims").order_by("pk")
        ],
        "remittance_emails": [
            {
                "record": record(sent), "batch": sent.batch_id, "amount": str(sent.amount),
                "sent": when(sent.created_at),
            }
            for sent in RemittanceSent.objects.filter(person=user).order_by("pk")
        ],
        "records_that_name_you": records_naming(
            user,
            [
                (Claim, "entered_by"),
                (Claim, "reviewed_by"),
                (Receipt, "uploaded_by"),
                (ClaimEvent, "actor"),
                (PaymentBatch, "created_by"),
                (PaymentBatch, "paid_by"),
                (VoucherIssue, "issued_by"),
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


def earliest_accepted_line(person):
    """The date of the earliest line on a person's accepted (approved or paid) claims, earliest
    first: their involvement through claims (contributors/involvement.py; the funder report
    counts the same)."""
    return (
        ClaimLine.objects.filter(
            claim__contributor_id=person, claim__status__in=(Claim.Status.APPROVED, Claim.Status.PAID)
        )
        .order_by("date")
        .values("date")
    )

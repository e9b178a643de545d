"""Every write in expenses/: one function per change of a claim or batch.

Each runs in a transaction, locks the claim (select_for_update) so two people acting at once
are serialised, checks the current state, records a ClaimEvent (who, when, from, to, comment)
and raises ClaimError with a plain-English message, changing nothing, when not allowed.
"""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from contributors.involvement import first_involvement_refresh
from contributors.models import ContributorProfile
from core.dates import tax_year_end, tax_year_start
from core.history import update_with_history
from projects.models import BudgetLine, MeetingInvitation
from projects.selectors.access import projects_managed_by

from . import limits, pricing, schedule, workflow
from .access import is_finance
from .models import Claim, ClaimEvent, ClaimLine, PaymentBatch, Rate, Receipt
from .rate_cards import fee_key, rates_for_claim
from .selectors import can_claim_on
from .workflow import ClaimError

LATE_AFTER_DAYS = 90
ZERO = pricing.ZERO
# Claims whose miles count towards the contributor's 10,000 car miles in a tax year.
COUNTED_STATUSES = (Claim.Status.SUBMITTED, Claim.Status.QUERIED, Claim.Status.APPROVED, Claim.Status.PAID)
SPENT_STATUSES = (Claim.Status.APPROVED, Claim.Status.PAID)

Status = Claim.Status
ACCEPTED = (Status.APPROVED, Status.PAID)
Kind = ClaimLine.Kind


class OverBudget(ClaimError):
    """Approving would take a budget line over its amount; the reviewer must confirm."""

    def __init__(self, message: str, overruns: list[dict]):
        super().__init__(message)
        self.overruns = overruns


class DuplicateSubmission(ClaimError):
    """The same form sent twice, or the same claim made again: the first one stands."""

    def __init__(self, claim: Claim, message: str = ""):
        super().__init__(message or "You already sent this form, so your claim was saved once, not twice.")
        self.claim = claim


def _already_made(claim: Claim, *, actor) -> DuplicateSubmission:
    if actor.pk == claim.contributor_id and claim.entered_by_id != actor.pk:
        message = (
            f"This claim is already recorded for you (claim {claim.pk}, entered by {claim.entered_by}; "
            f"{_status_words(claim)}), so it was not made again."
        )
    elif actor.pk == claim.contributor_id:
        message = (
            f"You already made this claim (claim {claim.pk}, {_status_words(claim)}), so it was not "
            "made again. If you meant to claim something else, change the lines and send it."
        )
    else:
        message = (
            f"This claim is already recorded as claim {claim.pk} for {claim.contributor} "
            f"({_status_words(claim)}), so it was not made again."
        )
    return DuplicateSubmission(claim, message)


@dataclass
class LineInput:
    kind: str
    date: date
    description: str
    quantity: Decimal | None = None
    amount: Decimal | None = None
    budget_line_id: int | None = None
    activity: str = ""  # a fixed fee line: the rate card's activity
    # (uploaded file, content type already checked by core.uploads.check_receipt)
    receipts: list = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------


def _lock(claim_id: int) -> Claim:
    try:
        return Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist as exc:
        raise ClaimError("This claim no longer exists.") from exc


def log_action(
    claims, *, actor, to: str | None = None, comment: str = "", new: bool = False, at=None
) -> None:
    """The one way a claim's history is written: one event per claim, from its status to `to`
    (or to the same status, for something done that leaves it where it is; from nothing when
    `new`). Takes one claim or many (a payment batch), in one query."""
    many = claims if isinstance(claims, list | tuple) else [claims]
    extra = {"created_at": at} if at else {}
    ClaimEvent.objects.bulk_create(
        ClaimEvent(
            claim=claim, actor=actor, from_status="" if new else claim.status,
            to_status=to or claim.status, comment=comment, **extra,
        )
        for claim in many
    )


def _change(claim: Claim, *, to: str, actor, comment: str = "", fields=()) -> Claim:
    log_action(claim, actor=actor, to=to, comment=comment)
    accepted_before = claim.status in ACCEPTED
    claim.status = to
    claim.save(update_fields=["status", "updated_at", *fields])
    if accepted_before != (to in ACCEPTED):
        # An accepted claim is involvement: the person's first involvement may move.
        first_involvement_refresh([claim.contributor_id])
    return claim


def _status_words(claim: Claim) -> str:
    return claim.get_status_display().split(",")[0].lower()


def _line_key(line) -> str:
    priced = line.kind in ClaimLine.PRICED_KINDS
    quantity = f"{Decimal(line.quantity):.2f}" if priced and line.quantity else ""
    amount = f"{pricing.to_pennies(line.amount)}" if not priced and line.amount else ""
    words = " ".join((line.description or "").split()).casefold()
    return "|".join((line.kind, line.date.isoformat(), words, quantity, amount, line.activity or ""))


def fingerprint(*, contributor_id: int, project_id: int, lines) -> str:
    """Who, where and every line (kind, date, words, hours or miles, amount paid): two claims
    with the same fingerprint are the same claim made twice."""
    parts = [str(contributor_id), str(project_id), *sorted(_line_key(line) for line in lines)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _live_twin(fp: str, *, exclude_id: int | None = None) -> Claim | None:
    return (
        Claim.objects.filter(fingerprint=fp, status__in=Claim.LIVE_STATUSES)
        .exclude(pk=exclude_id)
        .select_related("contributor", "entered_by")
        .first()
    )


def _require_eligible(contributor, project, *, actor, sending: bool = False):
    """Claims are for people with an accepted role on the project or recorded attendance at
    one of its meetings, whoever makes the claim (see selectors.projects_claimable_by)."""
    if can_claim_on(contributor, project):
        return
    if actor.pk != contributor.pk:
        raise ClaimError(
            f"{contributor} holds no role on {project} and no attendance at its meetings is "
            "recorded, so a claim cannot be made for them. Offer them a role, or record their "
            "attendance at the meeting, first."
        )
    if sending:
        raise ClaimError(
            f"You no longer hold a role on {project} and no attendance at its meetings is recorded, "
            "so this claim cannot be sent. If you think it should be paid, contact the project's staff."
        )
    raise ClaimError("You can claim only for a project where you hold a role or attended a meeting.")


def _check_receipt_room(claim: Claim | None, uploads):
    """A per-claim limit on receipts: how many files and how many megabytes in all."""
    uploads = list(uploads)
    if not uploads:
        return
    limit, limit_mb = settings.CLAIM_MAX_RECEIPTS, settings.CLAIM_MAX_RECEIPTS_MB
    count, size = 0, 0
    if claim is not None and claim.pk:
        count = claim.receipts.count()
        size = claim.receipts.aggregate(s=Sum("size"))["s"] or 0
    count += len(uploads)
    size += sum(upload.size or 0 for upload in uploads)
    if count > limit:
        raise ClaimError(
            f"A claim can have at most {limit} receipts, and this one would have {count}. Put several "
            "receipts in one photo or PDF, or make another claim for the rest."
        )
    if size > limit_mb * 1024 * 1024:
        raise ClaimError(
            f"Receipts on one claim can add up to {limit_mb} MB, and these would come to "
            f"{size / (1024 * 1024):.1f} MB. Use smaller photos (most phones have a smaller size "
            "setting), or make another claim for the rest."
        )


def _preference(contributor) -> str:
    profile = ContributorProfile.objects.filter(user=contributor).first()
    return profile.payment_preference if profile else ContributorProfile.PaymentPreference.PAID


DECLINED_PAYMENT_MESSAGE = (
    "You chose to decline payment for your time, so you can claim expenses but not time. "
    "If you want to be paid or take vouchers, change your payment choice in your profile first."
)


def _check_line_values(index: int, line: LineInput, today: date):
    where = f"Line {index}"
    if line.date > today:
        raise ClaimError(f"{where}: the date is in the future. Claim after the activity has happened.")
    if line.kind in ClaimLine.PRICED_KINDS:
        if line.quantity is None or line.quantity <= 0:
            raise ClaimError(f"{where}: enter how many hours, days or miles, more than 0.")
    elif line.amount is None or line.amount <= 0:
        raise ClaimError(f"{where}: enter the amount you paid, more than £0.")


def _rate(rates, kind: str, on: date, activity: str = "") -> Decimal:
    amount = pricing.rate_in_force(rates.get(fee_key(kind, activity), []), on)
    if amount is None:
        label = Rate.Kind(kind).label if kind in Rate.Kind.values else kind
        if activity:
            label = f"fixed fee for {activity}"
        raise ClaimError(f"There is no rate for “{label}” on {on:%d %B %Y}. Ask staff to add one.")
    return amount


def _car_miles_before(contributor, *, exclude_claim_id, years: set[date]) -> dict[date, Decimal]:
    """Car miles already claimed in each tax year (by start date), from sent claims."""
    result = {}
    for start in years:
        end = tax_year_end(start)
        result[start] = ClaimLine.objects.filter(
            claim__contributor=contributor,
            claim__status__in=COUNTED_STATUSES,
            kind=Kind.MILEAGE_CAR,
            date__range=(start, end),
        ).exclude(claim_id=exclude_claim_id).aggregate(s=Sum("quantity"))["s"] or Decimal(0)
    return result


def _price(claim: Claim, lines: list[ClaimLine]):
    """Set rate, amount and note on each line (server side, Decimal, rounded per line)."""
    rates = rates_for_claim(claim)
    car_years = {tax_year_start(line.date) for line in lines if line.kind == Kind.MILEAGE_CAR}
    miles_before = _car_miles_before(claim.contributor, exclude_claim_id=claim.pk, years=car_years)
    limit = settings.CLAIM_LINE_MAX_AMOUNT
    for index, line in enumerate(sorted(lines, key=lambda x: (x.date, x.pk or 0)), start=1):
        line.pricing_note = ""
        if line.kind in ClaimLine.PRICED_KINDS and not line.quantity:
            raise ClaimError(f"Line {index}: enter how many hours, days or miles, more than 0.")
        if line.kind == Kind.MILEAGE_CAR:
            year = tax_year_start(line.date)
            first, later = (
                _rate(rates, Kind.MILEAGE_CAR, line.date),
                _rate(rates, "mileage_car_over_10000", line.date),
            )
            priced = pricing.car_mileage(
                miles=line.quantity, miles_before=miles_before[year], first_rate=first, later_rate=later
            )
            miles_before[year] += line.quantity
            line.rate, line.amount = first, priced.amount
            if priced.miles_at_later_rate:
                line.pricing_note = (
                    f"{priced.miles_at_first_rate.normalize():f} miles at £{first} and "
                    f"{priced.miles_at_later_rate.normalize():f} miles at £{later} "
                    "(over 10,000 miles this tax year)"
                )
        elif line.kind == Kind.FIXED_FEE:
            if not line.activity:
                raise ClaimError(f"Line {index}: choose the activity the fixed fee is for.")
            line.rate = _rate(rates, line.kind, line.date, line.activity)
            line.amount = pricing.line_amount(line.quantity, line.rate)
        elif line.kind in ClaimLine.PRICED_KINDS:
            line.rate = _rate(rates, line.kind, line.date)
            line.amount = pricing.line_amount(line.quantity, line.rate)
        else:
            line.rate = None
            line.amount = pricing.to_pennies(line.amount)
        if line.amount > limit:
            raise ClaimError(
                f"Line {index} ({line.get_kind_display().lower()}) comes to £{line.amount}, more than "
                f"the £{limit} limit for one line. Check the figures, or split it into several lines."
            )


def _refresh_totals(claim: Claim, lines: list[ClaimLine]):
    claim.time_amount = pricing.total(line.amount for line in lines if line.kind in ClaimLine.TIME_KINDS)
    claim.expenses_amount = pricing.total(
        line.amount for line in lines if line.kind not in ClaimLine.TIME_KINDS
    )
    claim.total = claim.time_amount + claim.expenses_amount


def _reprice_and_save(claim: Claim) -> list[ClaimLine]:
    lines = list(claim.lines.all())
    _price(claim, lines)
    ClaimLine.objects.bulk_update(lines, ["rate", "amount", "pricing_note"])
    _refresh_totals(claim, lines)
    claim.save(update_fields=["time_amount", "expenses_amount", "total", "updated_at"])
    return lines


def _check_ready_to_send(claim: Claim, lines: list[ClaimLine]):
    if not lines:
        raise ClaimError("Add at least one line before sending the claim.")
    if _preference(claim.contributor) == ContributorProfile.PaymentPreference.EXPENSES_ONLY and any(
        line.kind in ClaimLine.TIME_KINDS for line in lines
    ):
        raise ClaimError(DECLINED_PAYMENT_MESSAGE)
    with_receipts = set(
        Receipt.objects.filter(claim=claim, line__isnull=False).values_list("line_id", flat=True)
    )
    claim_level = Receipt.objects.filter(claim=claim, line__isnull=True).exists()
    for index, line in enumerate(lines, start=1):
        if line.needs_receipt and line.pk not in with_receipts and not claim_level:
            raise ClaimError(
                f"Line {index} ({line.get_kind_display().lower()}) needs a receipt: a photo or PDF. "
                "Receipts are needed for everything except time and mileage."
            )
    today = timezone.localdate()
    for index, line in enumerate(lines, start=1):
        if line.date > today:
            raise ClaimError(
                f"Line {index}: the date is in the future. Claim after the activity has happened."
            )


def _default_budget_lines(project) -> dict[str, int | None]:
    by_kind: dict[str, int | None] = {}
    for line in BudgetLine.objects.filter(project=project).order_by("id"):
        by_kind.setdefault(line.kind, line.pk)
    return by_kind


def _save_receipts(claim: Claim, line: ClaimLine | None, receipts, user):
    for upload, content_type in receipts:
        Receipt.objects.create(
            claim=claim,
            line=line,
            file=upload,
            original_name=(upload.name or "receipt")[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )


def _check_lines(contributor, lines: list[LineInput]):
    if not lines:
        raise ClaimError("Add at least one line to the claim.")
    today = timezone.localdate()
    for index, line in enumerate(lines, start=1):
        _check_line_values(index, line, today)
    if _preference(contributor) == ContributorProfile.PaymentPreference.EXPENSES_ONLY and any(
        line.kind in ClaimLine.TIME_KINDS for line in lines
    ):
        raise ClaimError(DECLINED_PAYMENT_MESSAGE)


def _add_lines(claim: Claim, lines: list[LineInput], user) -> list[ClaimLine]:
    """Create priced lines (and their receipts) on a claim, each against a budget line."""
    project = claim.project
    defaults = _default_budget_lines(project)
    allowed_budget = set(defaults.values())
    allowed_budget |= set(BudgetLine.objects.filter(project=project).values_list("pk", flat=True))
    objects = []
    for line in lines:
        is_time = line.kind in ClaimLine.TIME_KINDS
        budget_line_id = line.budget_line_id if line.budget_line_id in allowed_budget else None
        if budget_line_id is None:
            budget_line_id = defaults.get("time" if is_time else "travel") or defaults.get("other")
        objects.append(
            ClaimLine(
                claim=claim,
                kind=line.kind,
                date=line.date,
                description=line.description.strip(),
                quantity=line.quantity if line.kind in ClaimLine.PRICED_KINDS else None,
                activity=line.activity.strip() if line.kind == Kind.FIXED_FEE else "",
                amount=line.amount or Decimal("0.00"),
                budget_line_id=budget_line_id,
            )
        )
    _price(claim, objects)
    for obj, line in zip(objects, lines, strict=True):
        obj.save()
        _save_receipts(claim, obj, line.receipts, user)
    return objects


# --- creating and sending ------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    contributor,
    project,
    actor,
    lines: list[LineInput],
    meeting=None,
    form_token: uuid.UUID | None = None,
    submit: bool = True,
    comment: str = "",
) -> Claim:
    """A new claim with its lines and receipts, as a draft or sent for review, all or nothing.

    Made once: the same form sent twice (form_token), or the same claim made again after Back
    with a fresh form (the fingerprint), finds the first claim instead (DuplicateSubmission).
    """
    if form_token and (existing := Claim.objects.filter(form_token=form_token).first()):
        raise DuplicateSubmission(existing)
    fp = fingerprint(contributor_id=contributor.pk, project_id=project.pk, lines=lines) if lines else ""
    if fp and (twin := _live_twin(fp)):
        raise _already_made(twin, actor=actor)
    on_behalf = actor.pk != contributor.pk
    if contributor.is_staff and on_behalf:
        raise ClaimError("Claims can be entered on behalf of public contributors only.")
    if on_behalf and not projects_managed_by(actor).filter(pk=project.pk).exists():
        raise ClaimError("You can enter claims only for projects you manage.")
    _require_eligible(contributor, project, actor=actor)
    if meeting is not None:
        if meeting.project_id != project.pk:
            raise ClaimError("That meeting belongs to another project.")
        if not MeetingInvitation.objects.filter(
            meeting=meeting, contributor=contributor, attended=True
        ).exists():
            raise ClaimError("You can claim for a meeting only once your attendance has been recorded.")
    _check_lines(contributor, lines)
    _check_receipt_room(None, [upload for line in lines for upload, _type in line.receipts])

    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                project=project,
                contributor=contributor,
                meeting=meeting,
                entered_by=actor,
                entered_on_behalf=on_behalf,
                form_token=form_token,
                fingerprint=fp,
            )
    except IntegrityError as exc:
        # Another request with the same form, or the same claim, got there first.
        if form_token and (existing := Claim.objects.filter(form_token=form_token).first()):
            raise DuplicateSubmission(existing) from exc
        if fp and (twin := _live_twin(fp)):
            raise _already_made(twin, actor=actor) from exc
        raise
    objects = _add_lines(claim, lines, actor)
    _refresh_totals(claim, objects)
    claim.save(update_fields=["time_amount", "expenses_amount", "total", "updated_at"])
    what = "Entered by staff on behalf of the contributor." if on_behalf else ""
    comment = " ".join(x for x in (what, comment.strip()) if x)
    log_action(claim, actor=actor, new=True, to=Status.DRAFT, comment=comment)
    if submit:
        _send(claim, actor=actor)
    return claim


def _send(claim: Claim, *, actor, comment: str = ""):
    if claim.status == Status.DRAFT:
        # The role may have ended since the draft was saved (an offer withdrawn). A claim
        # already sent and queried was made while they could claim: their answer goes back.
        _require_eligible(claim.contributor, claim.project, actor=actor, sending=True)
    lines = _reprice_and_save(claim)
    _check_ready_to_send(claim, lines)
    now = timezone.now()
    claim.submitted_at = now
    claim.payment_preference = _preference(claim.contributor)
    cutoff = timezone.localdate(now) - timedelta(days=LATE_AFTER_DAYS)
    claim.is_late = any(line.date < cutoff for line in lines)
    _change(
        claim,
        to=Status.SUBMITTED,
        actor=actor,
        comment=comment,
        fields=["submitted_at", "payment_preference", "is_late"],
    )


@transaction.atomic
def claim_submit(*, claim_id: int, actor) -> Claim:
    claim = _lock(claim_id)
    workflow.check(claim, "submit", actor)
    _send(claim, actor=actor)
    return claim


@transaction.atomic
def receipt_add(*, claim_id: int, actor, upload, content_type: str, line_id: int | None = None) -> Receipt:
    claim = _lock(claim_id)
    workflow.check(claim, "add_receipt", actor)
    line = None
    if line_id:
        line = claim.lines.filter(pk=line_id).first()
        if line is None:
            raise ClaimError("That line is not part of this claim.")
    _check_receipt_room(claim, [upload])
    # The same file sent twice (a double click): the claim holds it once.
    if Receipt.objects.filter(
        claim=claim, line=line, original_name=(upload.name or "receipt")[:255], size=upload.size
    ).exists():
        raise ClaimError("This receipt is already on the claim.")
    return Receipt.objects.create(
        claim=claim,
        line=line,
        file=upload,
        original_name=(upload.name or "receipt")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def claim_delete_draft(*, claim_id: int, actor) -> None:
    claim = _lock(claim_id)
    workflow.check(claim, "delete", actor)
    claim.delete()


@transaction.atomic
def claim_update_lines(*, claim_id: int, actor, lines: list[LineInput]) -> Claim:
    """Replace the lines of a draft or queried claim. Receipts already given stay on the claim."""
    claim = _lock(claim_id)
    workflow.check(claim, "change", actor)
    _check_lines(claim.contributor, lines)
    _check_receipt_room(claim, [upload for line in lines for upload, _type in line.receipts])
    fp = fingerprint(contributor_id=claim.contributor_id, project_id=claim.project_id, lines=lines)
    if twin := _live_twin(fp, exclude_id=claim.pk):
        raise ClaimError(
            f"Claim {twin.pk} ({_status_words(twin)}) already has exactly these lines, so this claim "
            "would make it twice. Change the lines, or delete this one."
        )
    Receipt.objects.filter(claim=claim, line__isnull=False).update(line=None)
    claim.lines.all().delete()
    objects = _add_lines(claim, lines, actor)
    _refresh_totals(claim, objects)
    claim.fingerprint = fp
    claim.save(update_fields=["time_amount", "expenses_amount", "total", "fingerprint", "updated_at"])
    log_action(claim, actor=actor, comment=f"Lines changed: now £{claim.total}.")
    return claim


# --- review -----------------------------------------------------------------------------


@transaction.atomic
def claim_query(*, claim_id: int, actor, comment: str) -> Claim:
    """The reviewer asks a question; the contributor answers and the claim comes back."""
    claim = _lock(claim_id)
    step = workflow.check(claim, "query", actor)
    if not comment.strip():
        raise ClaimError("Write the question you want to ask about this claim.")
    claim.reviewed_by = actor
    return _change(claim, to=step.to, actor=actor, comment=comment.strip(), fields=["reviewed_by"])


@transaction.atomic
def claim_answer_query(*, claim_id: int, actor, comment: str) -> Claim:
    """The contributor answers the question; the claim goes back to the reviewer."""
    claim = _lock(claim_id)
    workflow.check(claim, "answer", actor)
    if not comment.strip():
        raise ClaimError("Write your answer to the reviewer's question.")
    _send(claim, actor=actor, comment=comment.strip())
    return claim


def budget_overruns(claim: Claim) -> list[dict]:
    """Budget lines this claim would take over their amount, counting approved and paid claims."""
    mine: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for budget_line_id, amount in claim.lines.filter(budget_line__isnull=False).values_list(
        "budget_line_id", "amount"
    ):
        mine[budget_line_id] += amount
    if not mine:
        return []
    spent = dict(
        ClaimLine.objects.filter(budget_line_id__in=mine, claim__status__in=SPENT_STATUSES)
        .exclude(claim=claim)
        .values("budget_line_id")
        .annotate(s=Sum("amount"))
        .values_list("budget_line_id", "s")
    )
    overruns = []
    for line in BudgetLine.objects.filter(pk__in=mine).order_by("id"):
        before = spent.get(line.pk) or Decimal("0.00")
        after = before + mine[line.pk]
        if after > line.amount:
            overruns.append(
                {
                    "budget_line": line,
                    "budget": line.amount,
                    "spent": before,
                    "this_claim": mine[line.pk],
                    "after": after,
                    "over_by": after - line.amount,
                }
            )
    return overruns


@transaction.atomic
def claim_approve(*, claim_id: int, actor, comment: str = "", confirm_over_budget: bool = False) -> Claim:
    claim = _lock(claim_id)
    step = workflow.check(claim, "approve", actor)
    if claim.contributor_id == actor.pk:
        raise ClaimError("You cannot approve your own claim.")
    if claim.entered_on_behalf and claim.entered_by_id == actor.pk:
        raise ClaimError("You entered this claim for the contributor, so someone else must approve it.")
    # Two reviewers approving two claims on one budget line at once would each read the spend
    # without the other's claim and both pass: lock the lines (in id order, so never a deadlock)
    # and the second approval reads the spend once the first has committed.
    list(
        BudgetLine.objects.select_for_update()
        .filter(pk__in=claim.lines.filter(budget_line__isnull=False).values("budget_line_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    overruns = budget_overruns(claim)
    if overruns and not confirm_over_budget:
        names = "; ".join(
            f"{o['budget_line'].get_kind_display()} would be £{o['over_by']} over its £{o['budget']} budget"
            for o in overruns
        )
        raise OverBudget(
            f"Approving this claim takes the project over budget: {names}. "
            "Approve anyway only if the extra spending is agreed.",
            overruns,
        )
    claim.approved_at = timezone.now()
    claim.reviewed_by = actor
    if overruns:
        comment = (comment + " " if comment else "") + "Approved over budget after a warning."
    return _change(
        claim,
        to=step.to,
        actor=actor,
        comment=comment.strip(),
        fields=["approved_at", "reviewed_by"],
    )


@transaction.atomic
def claim_reject(*, claim_id: int, actor, reason: str) -> Claim:
    claim = _lock(claim_id)
    step = workflow.check(claim, "reject", actor)
    if not reason.strip():
        raise ClaimError("Give the reason the claim is not approved; the contributor will see it.")
    claim.rejection_reason = reason.strip()
    claim.reviewed_by = actor
    return _change(
        claim,
        to=step.to,
        actor=actor,
        comment=reason.strip(),
        fields=["rejection_reason", "reviewed_by"],
    )


@transaction.atomic
def claim_withdraw(*, claim_id: int, actor, reason: str) -> Claim:
    """The contributor takes back a claim that is sent or queried, before it is approved. It is
    kept, with the reason, and never paid; a new claim for the same things can be made."""
    claim = _lock(claim_id)
    step = workflow.check(claim, "withdraw", actor)
    if not reason.strip():
        raise ClaimError("Say why you are withdrawing the claim; the reviewer will see it.")
    return _change(claim, to=step.to, actor=actor, comment=reason.strip())


# --- payment ------------------------------------------------------------------------------


def _require_finance(user):
    if not is_finance(user):
        raise ClaimError("Only finance staff can do this.")


@transaction.atomic
def claim_split_over_limit(*, claim_id: int, actor, over: Decimal, defer: bool, why: str) -> Claim:
    """Move `over` pounds of an approved claim's payment for time into a claim of its own: approved
    and waiting for a later period when deferred, not approved when declined. The claim keeps the
    rest (its expenses always). Returns the new claim; both record what happened."""
    claim = _lock(claim_id)
    over = pricing.to_pennies(over)
    if claim.status != Status.APPROVED or claim.batch_id:
        raise ClaimError("Only an approved claim waiting for a payment batch can be split at a limit.")
    if not ZERO < over <= claim.time_amount:
        raise ClaimError(f"£{over} is not part of this claim's £{claim.time_amount} for time.")
    rest = Claim.objects.create(
        project_id=claim.project_id, contributor_id=claim.contributor_id, meeting_id=claim.meeting_id,
        status=Status.APPROVED if defer else Status.REJECTED, entered_by_id=claim.entered_by_id,
        entered_on_behalf=claim.entered_on_behalf, payment_preference=claim.payment_preference,
        is_late=claim.is_late, reviewed_by_id=claim.reviewed_by_id, submitted_at=claim.submitted_at,
        approved_at=claim.approved_at if defer else None, split_from=claim,
        rejection_reason="" if defer else f"Over your payment limit; you chose not to be paid it. {why}",
    )
    remaining, kept = over, []
    # The latest time is the part moved, so what is paid now is the earliest work.
    lines = list(claim.lines.order_by("-date", "-pk"))
    for line in lines:
        if line.kind in ClaimLine.TIME_KINDS and remaining > 0:
            part = min(line.amount, remaining)
            whole = part == line.amount
            ClaimLine.objects.create(
                claim=rest, kind=line.kind, date=line.date, description=line.description,
                activity=line.activity,
                quantity=line.quantity if whole else None, rate=line.rate, amount=part,
                budget_line_id=line.budget_line_id,
                pricing_note=f"£{part} of claim {claim.pk} over the payment limit",
            )
            line.amount -= part
            line.quantity = None if whole else line.quantity
            line.pricing_note = f"£{part} over the payment limit moved to claim {rest.pk}"[:200]
            line.save(update_fields=["amount", "quantity", "pricing_note"])
            remaining -= part
        kept.append(line)
    _refresh_totals(claim, kept)
    claim.save(update_fields=["time_amount", "expenses_amount", "total", "updated_at"])
    _refresh_totals(rest, list(rest.lines.all()))
    rest.save(update_fields=["time_amount", "expenses_amount", "total", "updated_at"])
    fate = (
        f"deferred to claim {rest.pk}, payable from the next period" if defer
        else f"declined, as the contributor chose (recorded as claim {rest.pk})"
    )
    log_action(claim, actor=actor, comment=f"£{over} for time is over the payment limit: {fate}. {why}")
    log_action(
        rest, actor=actor, new=True, to=rest.status,
        comment=f"The £{over} of claim {claim.pk} over the payment limit, "
        + ("to be paid in a later period." if defer else "not to be paid, as the contributor chose."),
    )
    # Declined time is no longer involvement on those days.
    first_involvement_refresh([claim.contributor_id])
    return rest


def _apply_limits(claims: list[Claim], *, actor, pays_on: date) -> list[int]:
    """The ids of the claims that go in the batch, after splitting any over the contributor's
    payment limit for the period the batch is paid in (earliest approved first)."""
    keep = []
    by_person: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_person[claim.contributor_id].append(claim)
    for person, theirs in by_person.items():
        profile = limits.limit_of(person)
        if profile is None:
            keep += [c.pk for c in theirs]
            continue
        start, end = limits.period_of(pays_on, profile.payment_limit_period)
        already = limits.in_batches_already(person, start=start, end=end)
        limit, defer = profile.payment_limit, profile.over_limit != "decline"
        why = f"Limit £{limit} a {profile.payment_limit_period}, {start:%-d %B} to {end:%-d %B %Y}."
        for claim in theirs:
            now, over = limits.split(limit=limit, already=already, time_amount=claim.time_amount)
            if over and defer and not now and not claim.expenses_amount:
                comment = f"Left for a later period: over the payment limit. {why}"
                log_action(claim, actor=actor, comment=comment)
                continue
            if over:
                claim_split_over_limit(claim_id=claim.pk, actor=actor, over=over, defer=defer, why=why)
            already += now
            keep.append(claim.pk)
    return keep


@transaction.atomic
def batch_create(
    *, actor, claim_ids: list[int] | None = None, pays_on: date | None = None
) -> PaymentBatch:
    """Put approved claims not yet in a batch into a new payment batch. Claims of people paid up
    to a limit pay only what fits in the period of the run it is paid in (`pays_on`, by default
    the payment run on or after today; expenses/limits.py)."""
    _require_finance(actor)
    claims = Claim.objects.select_for_update().filter(
        status=Status.APPROVED, batch__isnull=True, organisation_paid=False
    )
    if claim_ids is not None:
        claims = claims.filter(pk__in=claim_ids)
    waiting = list(claims.order_by("approved_at", "pk"))
    if not waiting:
        raise ClaimError("There are no approved claims waiting for a payment batch.")
    # The run on or after today: a batch is made for the run it is paid in.
    pays_on = pays_on or schedule.next_run(timezone.localdate() - timedelta(days=1))
    ids = _apply_limits(waiting, actor=actor, pays_on=pays_on)
    if not ids:
        raise ClaimError(
            "Every approved claim waiting is over its contributor's payment limit for this period; "
            "they can be paid in the next one."
        )
    batch = PaymentBatch.objects.create(created_by=actor)
    update_with_history(Claim.objects.filter(pk__in=ids), actor=actor, batch=batch, updated_at=timezone.now())
    log_action(
        list(Claim.objects.filter(pk__in=ids)), actor=actor, comment=f"Put in payment batch {batch.pk}."
    )
    return batch


@transaction.atomic
def batch_remove_claim(*, batch_id: int, claim_id: int, actor) -> None:
    _require_finance(actor)
    batch = PaymentBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != PaymentBatch.Status.OPEN:
        raise ClaimError("This batch has been paid, so its claims cannot change.")
    claim = _lock(claim_id)
    if claim.batch_id != batch.pk:
        raise ClaimError("That claim is not in this batch.")
    claim.batch = None
    claim.save(update_fields=["batch", "updated_at"])
    log_action(claim, actor=actor, comment=f"Taken out of payment batch {batch.pk}.")


@transaction.atomic
def batch_mark_paid(*, batch_id: int, actor, reference: str, paid_on: date) -> PaymentBatch:
    """Record the payment run: the batch and every claim in it become paid, with events."""
    _require_finance(actor)
    try:
        batch = PaymentBatch.objects.select_for_update().get(pk=batch_id)
    except PaymentBatch.DoesNotExist as exc:
        raise ClaimError("This payment batch no longer exists.") from exc
    if batch.status == PaymentBatch.Status.PAID:
        raise ClaimError(f"This batch was already marked paid on {batch.paid_on:%d %B %Y}.")
    if not reference.strip():
        raise ClaimError("Enter the payment reference from the bank or finance system.")
    if paid_on > timezone.localdate():
        raise ClaimError("The payment date is in the future. Mark the batch paid once the money has gone.")
    claims = list(Claim.objects.select_for_update().filter(batch=batch).order_by("pk"))
    if not claims:
        raise ClaimError("This batch has no claims in it.")
    not_approved = [c.pk for c in claims if c.status != Status.APPROVED]
    if not_approved:
        raise ClaimError(
            f"Claims {', '.join(map(str, not_approved))} are not approved, so the batch cannot be paid."
        )
    # The bank date files the payment in a tax year (yearly totals): it cannot come before the
    # money was approved.
    last = max((c for c in claims if c.approved_at), key=lambda c: c.approved_at, default=None)
    approved_on = timezone.localdate(last.approved_at) if last else None
    if approved_on and paid_on < approved_on:
        raise ClaimError(
            f"The payment date, {paid_on:%-d %B %Y}, is before claim {last.pk} was approved on "
            f"{approved_on:%-d %B %Y}. Enter the date the bank made the payment."
        )
    now = timezone.now()
    comment = f"Paid in batch {batch.pk} on {paid_on:%d %B %Y}, reference {reference.strip()}."
    log_action(claims, actor=actor, to=Status.PAID, comment=comment, at=now)
    update_with_history(
        Claim.objects.filter(pk__in=[c.pk for c in claims]), actor=actor,
        status=Status.PAID, paid_at=now, updated_at=now,
    )
    batch.status = PaymentBatch.Status.PAID
    batch.reference = reference.strip()
    batch.paid_on = paid_on
    batch.paid_by = actor
    batch.save(update_fields=["status", "reference", "paid_on", "paid_by"])
    transaction.on_commit(lambda: _send_remittances(batch.pk))
    return batch


def _send_remittances(batch_id: int) -> None:
    from .tasks import send_remittances

    send_remittances.delay(batch_id)


@transaction.atomic
def direct_cost_record(
    *,
    actor,
    contributor,
    project,
    kind: str,
    date: date,
    description: str,
    amount: Decimal,
    budget_line_id: int | None = None,
    receipts=(),
    form_token: uuid.UUID | None = None,
) -> Claim:
    """A cost the organisation paid directly (pre-booked train, taxi account) for a contributor.

    Kept as a claim marked organisation_paid, already paid, so it counts against the budget
    and appears in the contributor's history, but is never put in a payment batch. Recorded
    once: the same form sent twice, or the same cost recorded again, finds the first.
    """
    if form_token and (existing := Claim.objects.filter(form_token=form_token).first()):
        raise DuplicateSubmission(existing, "You already sent this form, so the cost was recorded once.")
    line = LineInput(kind=kind, date=date, description=description, amount=amount)
    fp = fingerprint(contributor_id=contributor.pk, project_id=project.pk, lines=[line])
    if twin := _live_twin(fp):
        raise _already_made(twin, actor=actor)
    if not projects_managed_by(actor).filter(pk=project.pk).exists():
        raise ClaimError("You can record costs only for projects you manage.")
    if contributor.is_staff:
        raise ClaimError("Direct costs are recorded for public contributors.")
    if kind in ClaimLine.PRICED_KINDS:
        raise ClaimError("Record a cost that was paid, such as a ticket or taxi, not time or mileage.")
    _require_eligible(contributor, project, actor=actor)
    _check_line_values(1, line, timezone.localdate())
    _check_receipt_room(None, [upload for upload, _type in receipts])
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                project=project,
                contributor=contributor,
                entered_by=actor,
                entered_on_behalf=True,
                organisation_paid=True,
                payment_preference=_preference(contributor),
                form_token=form_token,
                fingerprint=fp,
            )
    except IntegrityError as exc:
        # The same form or the same cost, sent at the same moment: the first one stands.
        if form_token and (existing := Claim.objects.filter(form_token=form_token).first()):
            raise DuplicateSubmission(existing) from exc
        if twin := _live_twin(fp):
            raise _already_made(twin, actor=actor) from exc
        raise
    defaults = _default_budget_lines(project)
    if budget_line_id not in set(BudgetLine.objects.filter(project=project).values_list("pk", flat=True)):
        budget_line_id = defaults.get("travel") or defaults.get("other")
    obj = ClaimLine(
        claim=claim,
        kind=kind,
        date=date,
        description=description.strip(),
        amount=amount,
        budget_line_id=budget_line_id,
    )
    _price(claim, [obj])
    obj.save()
    _save_receipts(claim, obj, receipts, actor)
    _refresh_totals(claim, [obj])
    now = timezone.now()
    claim.submitted_at = claim.approved_at = claim.paid_at = now
    claim.reviewed_by = actor
    claim.save()
    log_action(
        claim, actor=actor, new=True, to=Status.PAID,
        comment="Paid directly by the organisation: nothing for the contributor to pay.",
    )
    claim.status = Status.PAID
    claim.save(update_fields=["status"])
    first_involvement_refresh([claim.contributor_id])
    return claim

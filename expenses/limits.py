"""'Paid, up to a limit': a contributor on benefits sets the most they may be paid for their time
in a week or a month. A claim that would take them over it is split: what can be paid now, and
the rest, which they choose to have paid later or not at all (their profile says which).

Only payment for time counts: expenses paid back are not income. The period is the one the
claim would be paid in (the payment schedule's next run), and what counts against it is what
was paid in that period plus what is approved and waiting for it.

The split takes effect when finance put claims in a payment batch (services.batch_create): that
is when the money to be paid in a period is known, and a limit is about money received in a
period, not about when a claim was approved. The part over the limit is moved into a claim of
its own (Claim.split_from): approved and waiting for a later period if the contributor chose to
defer it, not approved if they chose to decline it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from contributors.models import ContributorProfile

from .models import Claim
from .pricing import ZERO, to_pennies


@dataclass(frozen=True)
class LimitSplit:
    limit: Decimal
    period: str  # "week" or "month"
    start: date
    end: date
    already: Decimal  # payment for time paid or waiting in the period, other claims
    now: Decimal  # of this claim's time, what fits under the limit
    over: Decimal  # the rest
    choice: str  # "defer" or "decline"

    @property
    def is_over(self) -> bool:
        return self.over > 0


def split(*, limit: Decimal, already: Decimal, time_amount: Decimal) -> tuple[Decimal, Decimal]:
    """(what can be paid now, what is over). Reaching the limit exactly is within it."""
    room = max(to_pennies(limit) - to_pennies(already), ZERO)
    now = min(to_pennies(time_amount), room)
    return now, to_pennies(time_amount) - now


def period_of(day: date, period: str) -> tuple[date, date]:
    if period == "month":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def limit_split(claim: Claim, *, paid_on: date) -> LimitSplit | None:
    """The split for a claim of someone paid up to a limit, if it were paid on `paid_on`; None
    for everyone else."""
    profile = ContributorProfile.objects.filter(user_id=claim.contributor_id).first()
    if not (
        profile
        and profile.payment_preference == ContributorProfile.PaymentPreference.LIMITED
        and profile.payment_limit
    ):
        return None
    start, end = period_of(paid_on, profile.payment_limit_period)
    others = Claim.objects.filter(contributor_id=claim.contributor_id, organisation_paid=False).exclude(
        pk=claim.pk
    )
    # A deferred part waits for a later period: it does not count until it is in a batch.
    already = others.filter(
        Q(status=Claim.Status.PAID, batch__paid_on__range=(start, end))
        | Q(status=Claim.Status.APPROVED, batch__isnull=False)
        | Q(status=Claim.Status.APPROVED, split_from__isnull=True)
    ).aggregate(s=Sum("time_amount"))["s"] or ZERO
    now, over = split(limit=profile.payment_limit, already=already, time_amount=claim.time_amount)
    return LimitSplit(
        limit=profile.payment_limit, period=profile.payment_limit_period, start=start, end=end,
        already=already, now=now, over=over, choice=profile.over_limit,
    )


def limit_of(contributor_id: int) -> ContributorProfile | None:
    """The profile of someone paid up to a limit; None for everyone else."""
    profile = ContributorProfile.objects.filter(user_id=contributor_id).first()
    if (
        profile
        and profile.payment_preference == ContributorProfile.PaymentPreference.LIMITED
        and profile.payment_limit
    ):
        return profile
    return None


def in_batches_already(contributor_id: int, *, start: date, end: date) -> Decimal:
    """Payment for time paid in the period, or in a batch waiting to be paid: what a new batch
    adds to."""
    return Claim.objects.filter(
        Q(status=Claim.Status.PAID, batch__paid_on__range=(start, end))
        | Q(status=Claim.Status.APPROVED, batch__status="open"),
        contributor_id=contributor_id, organisation_paid=False,
    ).aggregate(s=Sum("time_amount"))["s"] or ZERO

"""Rate cards: the organisation's rates (Rate rows without a role) and, optionally, a role's own.

A role's rows replace the organisation's rate of the same kind for the role's holders from the
date of the role's first row of that kind; before it, the organisation's rates apply. Everything
stays dated, so a line is priced by the card in force on the date of the activity.

The rates come back in the shape pricing.rate_in_force reads (kind -> [(from, amount)]): the
organisation's rows dated before the role's first row, then the role's rows. The latest row on
or before a date is then the role's whenever the role has one, and the organisation's before.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from projects.models import Role

from .models import Rate
from .pricing import rate_in_force


def fee_key(kind: str, activity: str = "") -> str:
    """Where a rate sits in a card: its kind, or for a fixed fee its kind and activity, so each
    activity's fee is dated (and replaced by a role's) on its own."""
    return f"{kind}:{activity}" if activity else kind


def role_for_claim(claim) -> Role | None:
    """The claimant's accepted role on the claim's project that has a rate card of its own (the
    earliest, if they hold several); None when the organisation's card applies."""
    if not claim.contributor_id or not claim.project_id:
        return None
    return (
        Role.objects.filter(
            project_id=claim.project_id,
            offers__contributor_id=claim.contributor_id,
            offers__status="accepted",
            rates__isnull=False,
        )
        .order_by("pk")
        .distinct()
        .first()
    )


def rates_for(role: Role | None) -> dict[str, list[tuple[date, Decimal]]]:
    organisation: dict[str, list] = defaultdict(list)
    own: dict[str, list] = defaultdict(list)
    rows = Rate.objects.filter(role__isnull=True)
    if role is not None:
        rows = Rate.objects.filter(role__isnull=True) | Rate.objects.filter(role=role)
    values = rows.values_list("kind", "activity", "role_id", "effective_from", "amount")
    for kind, activity, role_id, effective_from, amount in values:
        (own if role_id else organisation)[fee_key(kind, activity)].append((effective_from, amount))
    result: dict[str, list] = defaultdict(list)
    for kind in set(organisation) | set(own):
        if own.get(kind):
            first = min(day for day, _amount in own[kind])
            result[kind] = [row for row in organisation[kind] if row[0] < first] + own[kind]
        else:
            result[kind] = organisation[kind]
    return result


def rates_for_claim(claim) -> dict[str, list[tuple[date, Decimal]]]:
    return rates_for(role_for_claim(claim))


def card_on(role: Role | None, on: date) -> list[tuple[str, Decimal]]:
    """What a role's holders are paid for involvement on a date, as contributors read it:
    [("Per hour", £), ("Fixed fee: reading papers", £), ...]. Mileage is left out."""
    labels = {
        Rate.Kind.HOURLY: "Per hour", Rate.Kind.HALF_DAY: "Per half day", Rate.Kind.DAY: "Per full day",
    }
    result = []
    for key, rows in sorted(rates_for(role).items()):
        kind, _sep, activity = key.partition(":")
        if kind not in labels and kind != Rate.Kind.FIXED_FEE:
            continue
        amount = rate_in_force(rows, on)
        if amount is not None:
            result.append((labels.get(kind) or f"Fixed fee: {activity}", amount))
    order = list(labels.values())
    return sorted(result, key=lambda r: (order.index(r[0]) if r[0] in order else len(order), r[0]))

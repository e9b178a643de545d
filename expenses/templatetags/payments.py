"""The 'paid up to a limit' split on a claim page, without the claim views knowing about it."""

from django import template
from django.utils import timezone

from expenses import schedule
from expenses.limits import limit_split

register = template.Library()


@register.inclusion_tag("expenses/_limit_split.html")
def limit_split_for(claim):
    # Parts already moved out over the limit (expenses/services.claim_split_over_limit).
    moved = {"split_from": claim.split_from_id, "remainders": list(claim.remainders.order_by("pk"))}
    if claim.status in ("rejected", "withdrawn") or claim.organisation_paid or not claim.time_amount:
        return {"split": None, "claim": claim, **moved}
    if claim.batch_id and moved["remainders"]:
        return {"split": None, "claim": claim, **moved}
    paid_on = claim.batch.paid_on if claim.batch_id and claim.batch.paid_on else None
    paid_on = paid_on or schedule.next_run(timezone.localdate())
    return {"split": limit_split(claim, paid_on=paid_on), "claim": claim, **moved}

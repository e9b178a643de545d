"""The claim workflow as one table: in which states an action may be taken, the state it leads
to, and who may take it. Services check it before changing a claim; views and templates read it
to know which buttons to show.

Payment is not a row: finance moves approved claims into a batch and marks the batch paid
(services.batch_create, batch_mark_paid), which checks are about batches, not one claim.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import DomainError

from . import access
from .models import Claim

Status = Claim.Status


class ClaimError(DomainError):
    """A claim cannot change this way."""


@dataclass(frozen=True)
class Step:
    states: tuple[str, ...]  # the claim must be in one of these
    to: str | None  # the state it leads to; None when it stays (or the claim goes)
    who: Callable  # who(actor, claim) -> bool
    verb: str  # "This claim is paid, so it cannot be {verb}."
    not_allowed: str  # said to someone who may not take the action at all


OWNER_ONLY = "Only the person who made this claim can do that."
REVIEWERS_ONLY = "Only the project's staff or finance can review this claim."

STEPS: dict[str, Step] = {
    "submit": Step((Status.DRAFT,), Status.SUBMITTED, access.is_owner, "sent again", OWNER_ONLY),
    "delete": Step((Status.DRAFT,), None, access.is_owner, "deleted", OWNER_ONLY),
    "change": Step((Status.DRAFT, Status.QUERIED), None, access.is_owner, "changed", OWNER_ONLY),
    "add_receipt": Step(
        (Status.DRAFT, Status.QUERIED, Status.SUBMITTED), None, access.owner_or_reviewer,
        "given more receipts", "Only the person who made this claim or its reviewers can add receipts.",
    ),
    "answer": Step((Status.QUERIED,), Status.SUBMITTED, access.is_owner, "answered", OWNER_ONLY),
    "withdraw": Step(
        (Status.SUBMITTED, Status.QUERIED), Status.WITHDRAWN, access.is_owner, "withdrawn", OWNER_ONLY
    ),
    "query": Step((Status.SUBMITTED,), Status.QUERIED, access.can_review, "queried", REVIEWERS_ONLY),
    "approve": Step((Status.SUBMITTED,), Status.APPROVED, access.can_review, "approved", REVIEWERS_ONLY),
    "reject": Step(
        (Status.SUBMITTED, Status.QUERIED), Status.REJECTED, access.can_review, "rejected", REVIEWERS_ONLY
    ),
}


def claim_can(claim: Claim, action: str, actor) -> bool:
    """True when `actor` may take `action` on the claim as it is now."""
    step = STEPS[action]
    return claim.status in step.states and step.who(actor, claim)


def allowed_actions(claim: Claim, actor) -> dict[str, bool]:
    """Every action, True where the actor may take it: templates read `can.approve`."""
    return {action: claim_can(claim, action, actor) for action in STEPS}


def check(claim: Claim, action: str, actor) -> Step:
    """Raise ClaimError saying why, unless `actor` may take `action` now: who first,
    then the state. Returns the row, whose `to` is the next state."""
    step = STEPS[action]
    if not step.who(actor, claim):
        raise ClaimError(step.not_allowed)
    if claim.status not in step.states:
        words = claim.get_status_display().split(",")[0].lower()
        raise ClaimError(f"This claim is {words}, so it cannot be {step.verb}.")
    return step

"""The role-offer workflow as one table, mirroring expenses/workflow.py: in which states an action
may be taken on an offer, the state it leads to, and who may take it. The offer services check it
before changing an offer; the offer pages read it to know which buttons to show.

An accepted offer whose terms changed since (needs_reacceptance) is open again to "renewal"
actions: accepting the new terms, or saying no to them (which leaves the role).
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import DomainError

from .models import RoleOffer

Status = RoleOffer.Status


class RoleError(DomainError):
    """A role, interest or offer cannot change this way; the message says why in plain words."""


def answers_recorded_by_staff(contributor) -> bool:
    """Someone without a login, or who asked to be phoned or written to: staff record their
    answers for them."""
    profile = getattr(contributor, "profile", None)
    return not contributor.has_login or (profile is not None and profile.contact_method in ("phone", "post"))


def is_holder(actor, offer) -> bool:
    return actor is not None and actor.pk == offer.contributor_id


def is_staff(actor, offer) -> bool:
    # Which staff may manage this project's offers is the views' get_offer_to_manage.
    return actor is not None and actor.is_staff


def records_for_them(actor, offer) -> bool:
    return is_staff(actor, offer) and answers_recorded_by_staff(offer.contributor)


def holder_or_records_for_them(actor, offer) -> bool:
    return is_holder(actor, offer) or records_for_them(actor, offer)


@dataclass(frozen=True)
class Step:
    states: tuple[str, ...]  # the offer must be in one of these...
    to: str | None  # the state it leads to
    who: Callable  # who(actor, offer) -> bool
    renewal: bool = False  # ...or accepted with new terms waiting (needs_reacceptance)


STEPS: dict[str, Step] = {
    "accept": Step((Status.OFFERED,), Status.ACCEPTED, is_holder, renewal=True),
    "decline": Step((Status.OFFERED,), Status.DECLINED, is_holder, renewal=True),
    # Staff record the contributor's accept or decline, given by phone or post.
    "record_answer": Step((Status.OFFERED,), None, records_for_them, renewal=True),
    "withdraw": Step((Status.OFFERED, Status.ACCEPTED), Status.WITHDRAWN, is_staff),
    "step_down": Step((Status.ACCEPTED,), Status.STEPPED_DOWN, holder_or_records_for_them),
}


def in_state_for(offer: RoleOffer, action: str) -> bool:
    """True when the offer, as it is now, is open to `action` (whoever asks)."""
    step = STEPS[action]
    return offer.status in step.states or (step.renewal and offer.needs_reacceptance)


def offer_can(offer: RoleOffer, action: str, actor) -> bool:
    """True when `actor` may take `action` on the offer as it is now."""
    return in_state_for(offer, action) and STEPS[action].who(actor, offer)


def allowed_actions(offer: RoleOffer, actor) -> dict[str, bool]:
    """Every action, True where the actor may take it: templates read `can.accept`."""
    return {action: offer_can(offer, action, actor) for action in STEPS}

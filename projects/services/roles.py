"""Writes for roles: templates to roles, versions of the terms, interest, offers, acceptance."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from contributors.models import User
from core.history import update_with_history
from projects import workflow
from projects.models import (
    ExpressionOfInterest,
    Project,
    Role,
    RoleAcceptance,
    RoleOffer,
    RoleTemplate,
    RoleVersion,
    SelectionMethod,
)
from projects.workflow import RoleError, answers_recorded_by_staff  # noqa: F401  (imported from here too)


def _places(n: int) -> str:
    return f"{n} place" + ("" if n == 1 else "s")


# The fields a staff member edits on a role (status has its own rules).
EDITABLE_FIELDS = (
    "title", "purpose", "activities", "time_commitment", "start_date", "end_date", "payment_terms",
    "how_to_claim", "support_offered", "places", "selection_method", "selection_criteria", "status",
    "advertised", "closing_date", "apply_offline",
)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))


def role_description(role: Role) -> dict:
    """The role description exactly as a contributor reads it, with the project's honest
    "what you can / cannot change" from its suitability assessment."""
    project = role.project
    can = [text for text in (project.open_decisions, project.can_achieve) if text.strip()]
    cannot = [text for text in (project.fixed_decisions, project.cannot_achieve) if text.strip()]
    return {
        "title": role.title,
        "project": project.title,
        "purpose": role.purpose,
        "activities": role.activities,
        "time_commitment": role.time_commitment,
        "start_date": _text(role.start_date),
        "end_date": _text(role.end_date),
        "payment_terms": role.payment_terms,
        "how_to_claim": role.how_to_claim,
        "support_offered": role.support_offered,
        "can_change": "\n\n".join(can),
        "cannot_change": "\n\n".join(cannot),
        "selection_method": role.get_selection_method_display(),
        "selection_criteria": role.selection_criteria,
    }


def current_version(role: Role) -> RoleVersion:
    return role.versions.order_by("-number").first()


def _new_version(role: Role, by: User | None) -> RoleVersion:
    number = (role.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return RoleVersion.objects.create(
        role=role, number=number, description=role_description(role), created_by=by
    )


@transaction.atomic
def role_create_from_template(
    *, project: Project, template: RoleTemplate | None, actor: User, title: str,
    selection_method: str = SelectionMethod.EXPRESSION_OF_INTEREST, places: int = 1,
) -> Role:
    """A draft role filled in from a template, with version 1 of its description."""
    template = template or RoleTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise RoleError("There is no role description template. Ask an admin to add one.")
    if not title.strip():
        raise RoleError("Give the role a title.")
    if places < 1:
        raise RoleError("A role needs at least one place.")
    # Back and Create again would make the role twice: the first one stands. The project's
    # lock makes two at once take turns.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    being_set_up = (Role.Status.DRAFT, Role.Status.OPEN)
    if Role.objects.filter(
        project=project, title__iexact=" ".join(title.split()), status__in=being_set_up
    ).exists():
        raise RoleError(
            f"This project already has a role called “{title.strip()}” that is being set up or is "
            "open. Open it from the project page, or give this role a different title."
        )
    role = Role.objects.create(
        project=project,
        template=template,
        title=title.strip(),
        purpose=template.purpose,
        activities=template.activities,
        time_commitment=template.time_commitment,
        payment_terms=template.payment_details,
        how_to_claim=template.how_to_claim,
        support_offered=template.support_offered,
        places=places,
        selection_method=selection_method,
        start_date=project.start_date,
        end_date=project.end_date,
        status=Role.Status.DRAFT,
    )
    _new_version(role, actor)
    return role


@transaction.atomic
def role_update(*, role: Role, actor: User, **changes) -> tuple[Role, RoleVersion | None]:
    """Change a role. Returns the role and the new version when one was made.

    While nobody has been offered the current version, its text is simply kept up to date.
    Once it has been offered, the words people saw are kept: any change makes a new version.
    Pending offers move to it. Accepted offers move to it only when the terms (time, length,
    payment) changed: then the old terms stand until the contributor accepts again.
    """
    role = Role.objects.select_for_update().get(pk=role.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RoleError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    start = changes.get("start_date", role.start_date)
    end = changes.get("end_date", role.end_date)
    if start and end and end < start:
        raise RoleError("The end date must be on or after the start date.")
    if changes.get("advertised", role.advertised):
        if not changes.get("closing_date", role.closing_date):
            raise RoleError("A public advert needs a closing date.", field="closing_date")
        if changes.get("selection_method", role.selection_method) == SelectionMethod.TARGETED_INVITATION:
            raise RoleError("A role filled by targeted invitation is not advertised.", field="advertised")
    places = changes.get("places", role.places)
    if places < 1:
        raise RoleError("A role needs at least one place.")
    taken = RoleOffer.objects.filter(role=role, status=RoleOffer.Status.ACCEPTED).count()
    if places < taken:
        raise RoleError(
            f"{taken} people have accepted this role, so it needs at least {_places(taken)}. "
            "Withdraw an offer first if someone is leaving."
        )
    terms_changed = any(
        name in changes and changes[name] != getattr(role, name) for name in Role.TERMS_FIELDS
    )
    for name, value in changes.items():
        setattr(role, name, value)
    role.save()
    version = current_version(role)
    description = role_description(role)
    if version is None:
        return role, _new_version(role, actor)
    if description == version.description:
        return role, None
    offered = RoleOffer.objects.filter(role=role).filter(
        Q(offered_version=version) | Q(accepted_version=version)
    )
    if not offered.exists():
        version.description = description
        version.save(update_fields=["description"])
        return role, None
    new = _new_version(role, actor)
    update_with_history(
        RoleOffer.objects.filter(role=role, status=RoleOffer.Status.OFFERED), actor=actor, offered_version=new
    )
    accepted = RoleOffer.objects.filter(role=role, status=RoleOffer.Status.ACCEPTED)
    if not terms_changed:
        # Only those already waiting to accept new terms see the latest wording.
        accepted = accepted.exclude(offered_version=F("accepted_version"))
    update_with_history(accepted, actor=actor, offered_version=new)
    return role, new


@transaction.atomic
def interest_express(*, role: Role, actor: User, statement: str) -> ExpressionOfInterest:
    role = Role.objects.select_for_update().get(pk=role.pk)
    if actor.is_staff:
        raise RoleError("Staff cannot express interest in a role; it is for public contributors.")
    if role.status != Role.Status.OPEN or role.selection_method == SelectionMethod.TARGETED_INVITATION:
        raise RoleError("This role is not open for expressions of interest.")
    existing = ExpressionOfInterest.objects.filter(role=role, contributor=actor).first()
    if existing:
        raise RoleError(
            f"You already expressed interest in this role on {existing.created_at:%d %B %Y}. "
            "We will let you know what happens."
        )
    if RoleOffer.objects.filter(role=role, contributor=actor).exists():
        raise RoleError("You have already been offered this role: see your dashboard.")
    if not statement.strip():
        raise RoleError("Tell us in a few words why you are interested.")
    try:
        with transaction.atomic():
            return ExpressionOfInterest.objects.create(
                role=role, contributor=actor, statement=statement.strip()
            )
    except IntegrityError:  # a second click got there first
        raise RoleError(
            "You already expressed interest in this role. We will let you know what happens."
        ) from None


def _locked_interest(interest_id: int) -> ExpressionOfInterest:
    interest = (
        ExpressionOfInterest.objects.select_for_update().select_related("role", "contributor")
        .filter(pk=interest_id).first()
    )
    if interest is None:
        raise RoleError("We could not find that expression of interest.")
    return interest


def shortlist_response(response, *, actor: User, what: str):
    """Shortlist an expression of interest or an application (both answer a role the same way);
    `what` names it in the message. The caller holds the row locked."""
    if response.status != response.Status.RECEIVED:
        raise RoleError(f"This {what} is already {response.get_status_display().lower()}.")
    response.status = response.Status.SHORTLISTED
    response.decided_by, response.decided_at = actor, timezone.now()
    response.save(update_fields=["status", "decided_by", "decided_at"])
    return response


def turn_down_response(response, *, actor: User, reason: str, what: str):
    """Turn down an expression of interest or an application, with the reason recorded."""
    if not reason.strip():
        raise RoleError("Give a reason. It is recorded, and helps the person understand the decision.")
    if response.status in (response.Status.OFFERED, response.Status.TURNED_DOWN):
        raise RoleError(f"This {what} is already {response.get_status_display().lower()}.")
    response.status = response.Status.TURNED_DOWN
    response.decision_reason = reason.strip()
    response.decided_by, response.decided_at = actor, timezone.now()
    response.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    return response


@transaction.atomic
def interest_shortlist(*, interest_id: int, actor: User) -> ExpressionOfInterest:
    return shortlist_response(_locked_interest(interest_id), actor=actor, what="expression of interest")


@transaction.atomic
def interest_turn_down(*, interest_id: int, actor: User, reason: str) -> ExpressionOfInterest:
    return turn_down_response(
        _locked_interest(interest_id), actor=actor, reason=reason, what="expression of interest"
    )


@transaction.atomic
def offer_make(*, role: Role, contributor_id: int, actor: User) -> RoleOffer:
    role = Role.objects.select_for_update().get(pk=role.pk)
    contributor = User.objects.filter(pk=contributor_id).first() if str(contributor_id).isdigit() else None
    if contributor is None or not contributor.is_active or contributor.anonymised_at:
        raise RoleError("We could not find that contributor. Choose someone from the list.")
    if contributor.is_staff:
        raise RoleError(f"{contributor} is a member of staff. Offers are for public contributors.")
    on_break = on_break_until(contributor)
    if on_break:
        raise RoleError(f"{contributor} is taking a break until {on_break:%-d %B %Y}. Ask them after that.")
    if role.status != Role.Status.OPEN:
        raise RoleError(f"This role is {role.get_status_display().lower()}. Open it before making offers.")
    existing = RoleOffer.objects.filter(role=role, contributor=contributor).first()
    if existing:
        raise RoleError(
            f"{contributor} already has an offer for this role ({existing.get_status_display().lower()})."
        )
    accepted = RoleOffer.objects.filter(role=role, status=RoleOffer.Status.ACCEPTED).count()
    if accepted >= role.places:
        raise RoleError(
            f"This role has {_places(role.places)} and {'it is' if role.places == 1 else 'all are'} filled."
        )
    offer = RoleOffer.objects.create(
        role=role, contributor=contributor, offered_version=current_version(role), offered_by=actor
    )
    ExpressionOfInterest.objects.filter(role=role, contributor=contributor).update(
        status=ExpressionOfInterest.Status.OFFERED, decided_by=actor, decided_at=timezone.now()
    )
    return offer


def _locked_offer(offer_id: int, contributor: User) -> RoleOffer:
    offer = (
        RoleOffer.objects.select_for_update().select_related("role", "offered_version")
        .filter(pk=offer_id, contributor=contributor).first()
    )
    if offer is None:
        raise RoleError("We could not find that offer.")
    return offer


@transaction.atomic
def offer_accept(*, offer_id: int, actor: User, version_number: int | None = None) -> RoleOffer:
    """Accept the version the contributor read. Two clicks at once: the lock makes the second
    find the offer already accepted."""
    role_id = RoleOffer.objects.filter(pk=offer_id, contributor=actor).values_list("role_id", flat=True)
    # The role first, then the offer (the order role_update takes them): two people accepting
    # the last place at once would each count it free; the second now waits and counts again.
    role = Role.objects.select_for_update().filter(pk__in=role_id).first()
    offer = _locked_offer(offer_id, actor)
    if not workflow.in_state_for(offer, "accept"):
        if offer.status == RoleOffer.Status.WITHDRAWN:
            raise RoleError("This offer was withdrawn, so it can no longer be accepted.")
        if offer.status == RoleOffer.Status.DECLINED:
            raise RoleError("You declined this offer, so it can no longer be accepted.")
        if offer.status == RoleOffer.Status.ACCEPTED:
            raise RoleError("You have already accepted this role.")
        raise RoleError(f"This offer is {offer.get_status_display().lower()}, so it cannot be accepted.")
    if version_number is not None and int(version_number) != offer.offered_version.number:
        raise RoleError(
            "The terms changed while you were reading them. Please read the new terms and accept again."
        )
    taken = role.offers.filter(status=RoleOffer.Status.ACCEPTED).exclude(pk=offer.pk).count()
    if offer.status == RoleOffer.Status.OFFERED and taken >= role.places:
        raise RoleError(
            f"Sorry: this role had {_places(role.places)} and {'it has' if role.places == 1 else 'all have'} "
            "been taken, so this offer can no longer be accepted. The project's staff will be in touch."
        )
    now = timezone.now()
    offer.status = workflow.STEPS["accept"].to
    offer.accepted_version = offer.offered_version
    offer.responded_at = now
    offer.save(update_fields=["status", "accepted_version", "responded_at"])
    RoleAcceptance.objects.create(offer=offer, version=offer.offered_version, accepted_at=now)
    if role.status == Role.Status.OPEN and taken + 1 >= role.places:
        role.status = Role.Status.FILLED
        role.save(update_fields=["status"])
    return offer


@transaction.atomic
def offer_decline(*, offer_id: int, actor: User) -> RoleOffer:
    """Say no to an offer, or to new terms (which means leaving the role)."""
    offer = _locked_offer(offer_id, actor)
    if not workflow.in_state_for(offer, "decline"):
        raise RoleError(f"This offer is {offer.get_status_display().lower()}, so it cannot be declined.")
    offer.status = workflow.STEPS["decline"].to
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "responded_at"])
    return offer


@transaction.atomic
def offer_withdraw(*, offer_id: int, actor: User) -> RoleOffer:
    offer = RoleOffer.objects.select_for_update().filter(pk=offer_id).first()
    if offer is None:
        raise RoleError("We could not find that offer.")
    if not workflow.STEPS["withdraw"].who(actor, offer):
        raise RoleError("Only staff withdraw an offer.")
    if not workflow.in_state_for(offer, "withdraw"):
        raise RoleError(f"This offer is already {offer.get_status_display().lower()}.")
    offer.status = workflow.STEPS["withdraw"].to
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "responded_at"])
    return offer


@transaction.atomic
def offer_answer_record(*, offer_id: int, accept: bool, actor: User) -> RoleOffer:
    """Staff record an answer the contributor gave by phone or post: the same rules as the
    contributor's own button (places, versions), with who recorded it."""
    offer = RoleOffer.objects.select_related("contributor__profile").filter(pk=offer_id).first()
    if offer is None:
        raise RoleError("We could not find that offer.")
    if not workflow.is_staff(actor, offer):
        raise RoleError("Only staff record an answer for someone.")
    if not workflow.records_for_them(actor, offer):
        raise RoleError(
            f"{offer.contributor} answers on the site. Ask them to accept or decline there."
        )
    if accept:
        offer = offer_accept(offer_id=offer.pk, actor=offer.contributor)
    else:
        offer = offer_decline(offer_id=offer.pk, actor=offer.contributor)
    offer.answer_recorded_by = actor
    offer.save(update_fields=["answer_recorded_by"])
    return offer


def on_break_until(contributor: User):
    """The date a contributor's break ends, while they are taking one; else None."""
    profile = getattr(contributor, "profile", None)
    until = profile.break_until if profile else None
    return until if until and until >= timezone.localdate() else None


@transaction.atomic
def role_step_down(*, offer_id: int, actor: User, reason: str = "") -> RoleOffer:
    """A contributor leaves a role they hold (staff record it for someone without a login).
    Their place opens again; what they did and claimed stays."""
    offer = RoleOffer.objects.select_related("contributor__profile").filter(pk=offer_id).first()
    if offer is None:
        raise RoleError("We could not find that role.")
    if not workflow.STEPS["step_down"].who(actor, offer):
        raise RoleError("Only the person who holds the role can step down from it.")
    role = Role.objects.select_for_update().get(pk=offer.role_id)
    offer = RoleOffer.objects.select_for_update().get(pk=offer_id)
    if not workflow.in_state_for(offer, "step_down"):
        raise RoleError(
            f"This role is {offer.get_status_display().lower()}, so there is nothing to step down from."
        )
    offer.status = workflow.STEPS["step_down"].to
    offer.step_down_reason = reason.strip()
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "step_down_reason", "responded_at"])
    if role.status == Role.Status.FILLED:
        role.status = Role.Status.OPEN  # a place is free again
        role.save(update_fields=["status"])
    return offer

"""Reads for roles, interest and offers, with who may see what."""

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contributors.selectors import annotate_involvement, contributors_queryset
from projects.models import ExpressionOfInterest, Role, RoleOffer, SelectionMethod
from projects.selectors.access import can_manage_project, projects_managed_by, projects_visible_to


def open_roles() -> QuerySet[Role]:
    """Roles contributors can find and express interest in (targeted invitations are not listed)."""
    return (
        Role.objects.filter(status=Role.Status.OPEN)
        .exclude(selection_method=SelectionMethod.TARGETED_INVITATION)
        .select_related("project")
        .order_by("end_date", "title")
    )


def roles_visible_to(user) -> QuerySet[Role]:
    """Staff: roles on projects they can see. Contributors: open roles, and roles they were
    offered or expressed interest in."""
    if not user.is_authenticated:
        return Role.objects.none()
    if user.is_staff:
        return Role.objects.filter(project__in=projects_visible_to(user))
    return Role.objects.filter(
        Q(pk__in=open_roles().values("pk"))
        | Q(pk__in=RoleOffer.objects.filter(contributor=user).values("role_id"))
        | Q(pk__in=ExpressionOfInterest.objects.filter(contributor=user).values("role_id"))
    )


def get_role_for_user(user, pk) -> Role:
    return get_object_or_404(roles_visible_to(user).select_related("project"), pk=pk)


def get_role_to_manage(user, pk) -> Role:
    return get_object_or_404(
        Role.objects.filter(project__in=projects_managed_by(user)).select_related("project"), pk=pk
    )


def can_manage_role(user, role: Role) -> bool:
    return can_manage_project(user, role.project)


def interests_for_role(role: Role) -> QuerySet[ExpressionOfInterest]:
    return role.interests.select_related("contributor__profile", "decided_by").order_by("created_at")


def offers_for_role(role: Role) -> QuerySet[RoleOffer]:
    return role.offers.select_related(
        "contributor", "contributor__profile", "offered_version", "accepted_version", "offered_by",
        "answer_recorded_by",
    ).order_by("offered_at")


def get_offer_for_contributor(user, pk) -> RoleOffer:
    return get_object_or_404(
        RoleOffer.objects.filter(contributor=user).select_related(
            "role__project", "offered_version", "accepted_version"
        ),
        pk=pk,
    )


def get_offer_to_manage(user, pk) -> RoleOffer:
    return get_object_or_404(
        RoleOffer.objects.filter(role__project__in=projects_managed_by(user)).select_related("role"), pk=pk
    )


def my_interest(user, role: Role) -> ExpressionOfInterest | None:
    if not user.is_authenticated or user.is_staff:
        return None
    return ExpressionOfInterest.objects.filter(role=role, contributor=user).first()


def my_offer(user, role: Role) -> RoleOffer | None:
    if not user.is_authenticated or user.is_staff:
        return None
    return RoleOffer.objects.filter(role=role, contributor=user).select_related("offered_version").first()


@dataclass
class ContributorOffers:
    waiting: list = field(default_factory=list)  # offers waiting for an answer
    roles: list = field(default_factory=list)  # accepted roles; some need re-acceptance


def contributor_offers(user) -> ContributorOffers:
    """One query: the contributor's open offers and their roles."""
    offers = RoleOffer.objects.filter(
        contributor=user, status__in=[RoleOffer.Status.OFFERED, RoleOffer.Status.ACCEPTED]
    ).select_related("role__project", "offered_version", "accepted_version").order_by("-offered_at")
    result = ContributorOffers()
    for offer in offers:
        (result.waiting if offer.status == RoleOffer.Status.OFFERED else result.roles).append(offer)
    return result


# --- suggestions: matching interests, favouring people not recently involved ---
@dataclass
class Suggestion:
    person: object
    matches: list
    reasons: list


def _terms(text: str) -> list[str]:
    return [t.strip().lower() for t in re.split(r"[,;\n]", text or "") if len(t.strip()) > 2]


def role_text(role: Role) -> str:
    project = role.project
    return " ".join(
        [role.title, role.purpose, role.activities, role.selection_criteria, project.title, project.summary]
    ).lower()


def suggested_contributors(*, role: Role, limit: int = 10) -> list[Suggestion]:
    """Contributors to consider: most matching interests/lived experience first; among equal
    matches, the least involved in the last 12 months, and people never involved first.
    People already offered the role are left out. Two queries whatever the pool size."""
    text = role_text(role)
    already = RoleOffer.objects.filter(role=role).values("contributor_id")
    people = annotate_involvement(
        contributors_queryset()
        .exclude(pk__in=already)
        .exclude(profile__break_until__gte=timezone.localdate())  # taking a break
        .select_related("profile")
    )
    ranked = []
    for person in people:
        profile = getattr(person, "profile", None)
        terms = _terms(profile.interests) + _terms(profile.lived_experience) if profile else []
        matches = sorted({t for t in terms if re.search(rf"\b{re.escape(t)}\b", text)})
        reasons = []
        if matches:
            reasons.append(f"interests match: {', '.join(matches)}")
        if person.ever_total == 0:
            reasons.append("never involved yet")
        elif person.recent_total == 0:
            reasons.append("not involved in the last 12 months")
        else:
            times = person.recent_total
            reasons.append(f"involved {times} time{'s' if times != 1 else ''} in the last 12 months")
        name = (person.name or person.email or "").lower()
        key = (-len(matches), person.recent_total, person.ever_total, name)
        ranked.append((key, Suggestion(person=person, matches=matches, reasons=reasons)))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _, suggestion in ranked[:limit]]


def people_to_offer(*, role: Role, search: str, limit: int = 20) -> list:
    """Anyone in the pool found by name, interest or lived experience (accents ignored), for
    staff to offer the role to; people already offered it are left out. Those taking a break
    are listed, with the date, so staff know why they cannot be asked."""
    from contributors.selectors import people_matching

    if not search.strip():
        return []
    already = RoleOffer.objects.filter(role=role).values("contributor_id")
    people = people_matching(contributors_queryset().exclude(pk__in=already), search)
    people = list(people.select_related("profile").order_by("name")[:limit])
    today = timezone.localdate()
    for person in people:
        profile = getattr(person, "profile", None)
        until = profile.break_until if profile else None
        person.on_break_until = until if until and until >= today else None
    return people


# --- public adverts and applications ---
def public_adverts() -> QuerySet[Role]:
    """Roles anyone can read and apply for, without an account, until their closing date."""
    return (
        Role.objects.filter(advertised=True, status=Role.Status.OPEN, closing_date__gte=timezone.localdate())
        .select_related("project")
        .order_by("closing_date", "title")
    )


def applications_for_role(role: Role):
    from projects.models import Application

    applications = Application.objects.filter(role=role).select_related("contributor", "decided_by")
    return applications.order_by("created_at")


@dataclass(frozen=True)
class NewResponse:
    """An expression of interest or an application, as the lead's dashboard and daily summary list it."""

    what: str  # "Expression of interest" or "Application"
    name: str
    role: Role
    created_at: object


def new_responses(*, projects, day=None, waiting_only=False, limit=None) -> list[NewResponse]:
    """Expressions of interest and applications to roles on `projects`, newest first: those that
    came in on `day` (a local date), or those nobody has acted on yet. Two queries."""
    from datetime import datetime, time, timedelta

    from projects.models import Application

    found = Q(role__project__in=projects)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        found &= Q(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    if waiting_only:
        found &= Q(status=ExpressionOfInterest.Status.RECEIVED)
    interests = ExpressionOfInterest.objects.filter(found).select_related(
        "role", "role__project", "contributor"
    )
    applications = Application.objects.filter(found).select_related("role", "role__project")
    if limit:
        interests = interests.order_by("-created_at")[:limit]
        applications = applications.order_by("-created_at")[:limit]
    rows = [
        NewResponse("Expression of interest", i.contributor.get_full_name(), i.role, i.created_at)
        for i in interests
    ] + [NewResponse("Application", a.name, a.role, a.created_at) for a in applications]
    rows.sort(key=lambda row: row.created_at, reverse=True)
    return rows[:limit] if limit else rows

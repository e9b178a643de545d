"""Demo roles, interest and offers for `seed_demo` (contributors issue). Idempotent: roles are
looked up by project and title, offers and interest by role and person, before anything is made."""

from datetime import timedelta

from django.utils import timezone

from .models import ExpressionOfInterest, Project, Role, RoleOffer, SelectionMethod
from .services import roles as services


def _role(project, title, by, **fields) -> Role:
    role = Role.objects.filter(project=project, title=title).first()
    if role is None:
        role = services.role_create_from_template(
            project=project, template=None, actor=by, title=title,
            selection_method=fields.pop("selection_method"), places=fields.pop("places"),
        )
        role, _ = services.role_update(role=role, actor=by, **fields)
    return role


def _offer(role, person, by, accept=False) -> RoleOffer:
    offer = RoleOffer.objects.filter(role=role, contributor=person).first()
    if offer is None:
        offer = services.offer_make(role=role, contributor_id=person.pk, actor=by)
        if accept:
            offer = services.offer_accept(offer_id=offer.pk, actor=person)
    return offer


def seed(people: dict) -> dict:
    staff, contributor = people["staff"], people["contributor"]
    pool = [p for p in people.get("pool", []) if p.pk != contributor.pk]
    today = timezone.localdate()
    projects = people.get("projects") or []
    if projects:
        first, second = projects[0], projects[-1]
    else:
        first, _ = Project.objects.get_or_create(
            title="Better diabetes care together",
            defaults=dict(
                lead=staff, status=Project.Status.ACTIVE,
                summary="Improve diabetes clinics with the people who use them.",
                open_decisions="How clinic appointments are arranged and what information people get.",
                fixed_decisions="The clinic budget and which hospital sites run clinics.",
                can_achieve="Clinics that fit around people's lives.",
                cannot_achieve="New medicines or changes to national guidance.",
            ),
        )
        second = first
    dates = dict(start_date=today - timedelta(days=14), end_date=today + timedelta(days=180))

    co_chair = _role(
        first, "Co-chair of the working group", staff,
        selection_method=SelectionMethod.TARGETED_INVITATION, places=1,
        selection_criteria="Experience of the service and of chairing or speaking up in groups.",
        status=Role.Status.OPEN, **dates,
    )
    if co_chair.status != Role.Status.DRAFT:
        _offer(co_chair, contributor, staff, accept=True)

    panel = _role(
        first, "Reading panel member", staff,
        selection_method=SelectionMethod.EXPRESSION_OF_INTEREST, places=6,
        selection_criteria="Anyone who has received letters or leaflets from the service, including "
        "people who find reading hard.",
        status=Role.Status.OPEN, **dates,
    )
    for person in pool[:4]:
        if not ExpressionOfInterest.objects.filter(role=panel, contributor=person).exists():
            services.interest_express(
                role=panel, actor=person,
                statement="I have had letters I could not understand and want to help fix that.",
            )
    for person in pool[:2]:
        _offer(panel, person, staff, accept=True)

    design = _role(
        second, "Design group member", staff,
        selection_method=SelectionMethod.TARGETED_INVITATION, places=4,
        status=Role.Status.OPEN,
        start_date=today + timedelta(days=30), end_date=today + timedelta(days=240),
    )
    waiting = _offer(design, contributor, staff)
    return {"roles": [co_chair, panel, design], "offer_waiting": waiting}

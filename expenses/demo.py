"""Demo data for `seed_demo`: a submitted, a queried and a paid claim. Idempotent.

Each demo claim has a fixed form_token, so running the seed again finds it instead of
making another.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from projects.models import BudgetLine, Project, Role, RoleOffer, RoleVersion

from . import services
from .models import Claim

TOKENS = {
    "submitted": uuid.UUID("00000000-0000-4000-8000-00000000c1a1"),
    "queried": uuid.UUID("00000000-0000-4000-8000-00000000c1a2"),
    "paid": uuid.UUID("00000000-0000-4000-8000-00000000c1a3"),
}


def _project(people):
    projects = people.get("projects")
    if isinstance(projects, dict) and projects:
        project = next(iter(projects.values()))
    elif isinstance(projects, list | tuple) and projects:
        project = projects[0]
    elif isinstance(people.get("project"), Project):
        project = people["project"]
    else:
        project, _ = Project.objects.get_or_create(
            title="Better diabetes care together",
            defaults={"lead": people["staff"], "status": Project.Status.ACTIVE},
        )
    for kind, amount in ((BudgetLine.Kind.TRAVEL, "1500.00"), (BudgetLine.Kind.TIME, "3000.00")):
        if not project.budget_lines.filter(kind=kind).exists():
            BudgetLine.objects.create(
                project=project, kind=kind, amount=Decimal(amount), description="Demo budget"
            )
    return project


def _ensure_role(project, contributor, staff):
    """The contributor needs an accepted role to claim; add one only if they have none here."""
    if RoleOffer.objects.filter(role__project=project, contributor=contributor, status="accepted").exists():
        return
    role, _ = Role.objects.get_or_create(
        project=project,
        title="Patient partner (demo claims)",
        defaults={
            "purpose": "Bring lived experience to the project.",
            "activities": "Meetings.",
            "time_commitment": "Two hours a month.",
            "payment_terms": "Time and travel paid.",
            "selection_method": "targeted_invitation",
            "status": Role.Status.FILLED,
        },
    )
    version, _ = RoleVersion.objects.get_or_create(role=role, number=1, defaults={"description": {}})
    RoleOffer.objects.get_or_create(
        role=role,
        contributor=contributor,
        defaults={
            "offered_version": version,
            "accepted_version": version,
            "status": "accepted",
            "offered_by": staff,
            "responded_at": timezone.now(),
        },
    )


def _claim(key, *, contributor, project, lines):
    existing = Claim.objects.filter(form_token=TOKENS[key]).first()
    if existing:
        return existing, False
    return services.claim_create(
        contributor=contributor,
        project=project,
        actor=contributor,
        lines=lines,
        form_token=TOKENS[key],
        submit=True,
    ), True


def seed(people: dict) -> dict:
    contributor, staff, admin = people["contributor"], people["staff"], people["admin"]
    project = _project(people)
    if staff.pk != project.lead_id and not project.team.filter(pk=staff.pk).exists():
        project.team.add(staff)
    _ensure_role(project, contributor, staff)
    today = timezone.localdate()
    L = services.LineInput

    submitted, _ = _claim(
        "submitted",
        contributor=contributor,
        project=project,
        lines=[
            L(
                kind="time_hours",
                date=today - timedelta(days=3),
                description="Steering group meeting",
                quantity=Decimal("2.5"),
            ),
            L(
                kind="mileage_car",
                date=today - timedelta(days=3),
                description="Home to hospital and back",
                quantity=Decimal("18"),
            ),
        ],
    )
    queried, created = _claim(
        "queried",
        contributor=contributor,
        project=project,
        lines=[
            L(
                kind="time_half_day",
                date=today - timedelta(days=10),
                description="Workshop on patient leaflets",
                quantity=Decimal("1"),
            ),
            L(
                kind="mileage_bicycle",
                date=today - timedelta(days=10),
                description="Cycled to the workshop",
                quantity=Decimal("6"),
            ),
        ],
    )
    if created:
        services.claim_query(
            claim_id=queried.pk,
            actor=staff,
            comment="Was the workshop the morning session only? Please confirm.",
        )
    paid, created = _claim(
        "paid",
        contributor=contributor,
        project=project,
        lines=[
            L(
                kind="time_day",
                date=today - timedelta(days=30),
                description="Co-design day",
                quantity=Decimal("1"),
            ),
        ],
    )
    if created:
        services.claim_approve(claim_id=paid.pk, actor=staff, confirm_over_budget=True)
        batch = services.batch_create(actor=admin, claim_ids=[paid.pk])
        services.batch_mark_paid(
            batch_id=batch.pk, actor=admin, reference="DEMO-BACS-001", paid_on=today
        )
    return {"claims": {"submitted": submitted, "queried": queried, "paid": paid}}

"""Factories for projects and meetings tests (roles made directly, to give contributors a role)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from projects.models import (
    BudgetLine,
    Meeting,
    MeetingInvitation,
    PieceOfWork,
    Project,
    Role,
    RoleOffer,
    RoleVersion,
)
from tests.contributors.factories import StaffFactory

COMPLETE = dict(
    involvement_level="coproduce", open_decisions="Wording", fixed_decisions="Budget",
    can_achieve="Clear letters", cannot_achieve="New medicines",
)


class ProjectFactory(factory.django.DjangoModelFactory):
    """The one project factory; `decided=True` fills in what is open and fixed (the roles pages need it)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    class Params:
        decided = factory.Trait(
            open_decisions="The wording of the letter.",
            fixed_decisions="The legal content.",
            can_achieve="Letters people understand.",
            cannot_achieve="Changes to medicines.",
        )

    title = factory.Sequence(lambda n: f"Project {n}")
    lead = factory.SubFactory(StaffFactory)


class PieceOfWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PieceOfWork

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Piece {n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    kind = BudgetLine.Kind.TIME
    amount = Decimal("500.00")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    organiser = factory.SelfAttribute("project.lead")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    end = factory.LazyAttribute(lambda m: m.start + timedelta(hours=2))
    venue = "Room 2, Education Centre"
    online_link = "https://meet.example.org/secret-room"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingInvitation

    meeting = factory.SubFactory(MeetingFactory)


def give_role(*, contributor, project, **role_fields) -> RoleOffer:
    """An accepted role on the project, made directly: what lets a contributor claim and be invited.

    Keyword-only so the two people-and-project arguments cannot be swapped; `.role` is the role.
    """
    fields = dict(
        title="Panel member", purpose="p", activities="a", time_commitment="t",
        payment_terms="£25 an hour", selection_method="open_call",
    )
    role = Role.objects.create(project=project, **{**fields, **role_fields})
    version = RoleVersion.objects.create(role=role, number=1, description={"title": role.title})
    return RoleOffer.objects.create(
        role=role, contributor=contributor, offered_version=version, accepted_version=version,
        status=RoleOffer.Status.ACCEPTED,
    )

"""Factories for the objects reminders are about (kept here, beside the reminders tests)."""

from datetime import timedelta

import factory
from django.utils import timezone

from expenses.models import Claim
from projects.models import Meeting, MeetingInvitation, Role, RoleOffer, RoleVersion
from tests.contributors.factories import ContributorFactory
from tests.projects.factories import ProjectFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    project = factory.SubFactory(ProjectFactory)
    title = "Steering group"
    organiser = factory.LazyAttribute(lambda o: o.project.lead)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    venue = "Room 4, Riverside Centre, 1 High Street, Leeds"
    access_information = "Step-free entrance on Mill Lane; hearing loop in room 4."
    online_link = "https://meet.example.org/steering-group"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingInvitation

    meeting = factory.SubFactory(MeetingFactory)
    contributor = factory.SubFactory(ContributorFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    project = factory.SubFactory(ProjectFactory)
    title = "Lived-experience adviser"
    purpose = "Advise the project team."
    activities = "Read papers and come to meetings."
    time_commitment = "Two hours a month."
    payment_terms = "Paid at the published hourly rate."
    selection_method = "open_call"
    status = "open"


class RoleOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleOffer

    role = factory.SubFactory(RoleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    offered_version = factory.LazyAttribute(
        lambda o: RoleVersion.objects.get_or_create(role=o.role, number=1, defaults={"description": {}})[0]
    )
    offered_by = factory.LazyAttribute(lambda o: o.role.project.lead)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    project = factory.SubFactory(ProjectFactory)
    contributor = factory.SubFactory(ContributorFactory)
    entered_by = factory.LazyAttribute(lambda o: o.contributor)
    status = Claim.Status.SUBMITTED
    total = "42.50"

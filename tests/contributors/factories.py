"""Factories for people: users, staff, admins, contributors (every app's tests use these)."""

import factory
from django.utils import timezone

from contributors.models import ContributorProfile, User

PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    is_staff = True


class AdminFactory(StaffFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.org")
    is_superuser = True
    is_finance = True


class ContributorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"contributor{n}@example.org")
    profile = factory.RelatedFactory(
        "tests.contributors.factories.ContributorProfileFactory", factory_related_name="user"
    )


class ContributorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributorProfile

    user = factory.SubFactory(UserFactory)


def now():
    return timezone.now()

import importlib

import pytest

from tests.factories import ContributorFactory, StaffFactory
from tests.projects.factories import BudgetLineFactory, ProjectFactory, give_role


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _rates(request):
    """The rates the data migration seeds; a flushed (transactional or reused) database lacks them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from decimal import Decimal

    from expenses.models import Rate

    seed = importlib.import_module("expenses.migrations.0002_seed_rates")
    for kind, amount, effective_from, needs_confirmation, source in seed.RATES:
        Rate.objects.get_or_create(
            kind=kind,
            effective_from=effective_from,
            defaults={"amount": Decimal(amount), "needs_confirmation": needs_confirmation, "source": source},
        )


@pytest.fixture
def project(staff):
    project = ProjectFactory(title="Better diabetes care together", lead=staff)
    BudgetLineFactory(project=project, kind="travel", amount="100.00")
    BudgetLineFactory(project=project, kind="time", amount="500.00")
    return project


@pytest.fixture
def member(contributor, project):
    """The claimant: a contributor with an accepted role on the project."""
    give_role(contributor=contributor, project=project)
    return contributor


@pytest.fixture
def team_member(project):
    person = StaffFactory(name="Tia Team")
    project.team.add(person)
    return person


@pytest.fixture
def make_member(project):
    def make(**kwargs):
        person = ContributorFactory(**kwargs)
        give_role(contributor=person, project=project)
        return person

    return make

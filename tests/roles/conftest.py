import pytest

from tests.projects.factories import ProjectFactory
from tests.roles.factories import make_role


@pytest.fixture
def project(staff):
    return ProjectFactory(title="Better diabetes care together", lead=staff, decided=True)


@pytest.fixture
def role(project, staff):
    return make_role(
        project=project,
        by=staff,
        title="Diabetes clinic panel member",
        purpose="Help us improve diabetes clinics.",
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The shared factories hash a password for every user; the slow hasher adds minutes here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

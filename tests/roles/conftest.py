import pytest

from tests.roles.factories import ProjectFactory, make_role


@pytest.fixture
def project(staff):
    return ProjectFactory(title="Better diabetes care together", lead=staff)


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

import pytest

from tests.expenses.conftest import _rates  # noqa: F401  (claims need the seeded rates)


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://coproduction.example.org"


@pytest.fixture
def project(staff):
    from tests.projects.factories import ProjectFactory

    return ProjectFactory(title="Better diabetes care together", lead=staff, decided=True)


@pytest.fixture
def role(project, staff):
    from tests.roles.factories import make_role

    return make_role(project=project, by=staff, title="Diabetes clinic panel member", places=2)


@pytest.fixture
def by_post(staff):
    """Ada has no email and no login: she asked us to write to her."""
    from contributors.services import contributor_add_offline

    return contributor_add_offline(
        name="Ada Ńwosu", contact_method="post", address="12 Mill Lane\nLeeds\nLS1 4AB",
        interests="diabetes", actor=staff,
    )

"""Shared fixtures. Services (Redis, PostgreSQL, Chromium) are skipped when absent,
unless REQUIRE_SERVICES=1 (set by .ci/run), which turns every skip into a failure."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

from .factories import AdminFactory, ContributorFactory, StaffFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def need_service(available: bool, why: str):
    if not available:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {why}")
        pytest.skip(why)


@pytest.fixture
def redis_url():
    need_service(_reachable(TEST_REDIS_URL), f"Redis is not reachable at {TEST_REDIS_URL}")
    return TEST_REDIS_URL


@pytest.fixture
def require_postgres(db):
    need_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def chromium_path():
    need_service(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        f"Chromium is not installed at {CHROMIUM}",
    )
    return CHROMIUM


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {len(skipped)} test(s) skipped because a service is missing "
            "(Redis, PostgreSQL or Chromium). CI sets REQUIRE_SERVICES=1 and runs them all."
        )


def pytest_sessionfinish(session, exitstatus):
    # A skip that slipped through (e.g. pytest.importorskip) still fails CI.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_SERVICES and reporter and reporter.stats.get("skipped"):
        session.exitstatus = 1


def pytest_collection_modifyitems(items):
    """Every test that commits (transaction=True, live_server) starts from the migrated data and
    leaves none behind: Django flushes the tables after it and, with serialized_rollback, reloads
    the rows the migrations made (content types, rates, role templates) before the next one.
    Without it, a flush re-creates content types under new ids and a later serialized_rollback
    test fails on duplicates, and data-migration rows vanish for whatever runs next."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None:
            continue
        marker = item.get_closest_marker("django_db")
        commits = (marker is not None and marker.kwargs.get("transaction")) or "transactional_db" in names \
            or "live_server" in names
        if not commits:
            continue
        if marker is not None:
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        if "django_db_serialized_rollback" not in names:
            names.append("django_db_serialized_rollback")


@pytest.fixture(scope="session", autouse=True)
def _leave_the_database_as_migrated(django_db_setup, django_db_blocker):
    """After the last test that commits, the tables are empty; put the migrated rows back so the
    next run with --reuse-db starts from the same database."""
    yield
    from django.core.management import call_command
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                # Empty first: a live server's last request may have made rows after the flush.
                call_command(
                    "flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0
                )
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A transactional test flushes the tables and PostgreSQL hands out new ids, so the
    # process-wide ContentType cache can point at rows that no longer exist.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test starts with an empty cache of its own (rate limits, used two-factor codes), so
    one test's failed logins never lock out the next. Production shares the database cache or
    Redis; tests/security/test_shared_cache.py runs real servers against those."""
    import uuid

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never the developer's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def admin_user(db):
    return AdminFactory(email="admin-user@example.org", name="Ada Admin")


@pytest.fixture
def staff(db):
    return StaffFactory(name="Sam Staff")


@pytest.fixture
def other_staff(db):
    return StaffFactory(name="Olu Outsider")


@pytest.fixture
def contributor(db):
    return ContributorFactory(name="Zoë O'Brien", preferred_name="Zoë")


@pytest.fixture
def other_contributor(db):
    return ContributorFactory(name="Priya Patel")


@pytest.fixture
def finance(db):
    return StaffFactory(name="Fin Finance", is_finance=True)


@pytest.fixture
def cast(contributor, other_contributor, other_staff, staff, finance, admin_user):
    """One person of each kind for permission matrices; anonymous is just the client (None).

    `project_staff` is `staff`, whom each folder's `project` fixture makes the lead; a folder whose
    project needs more (a contributor holding a role, a teammate) overrides `cast` by extending it.
    """
    return {
        "anonymous": None,
        "contributor": contributor,
        "other_contributor": other_contributor,
        "outside_staff": other_staff,
        "project_staff": staff,
        "finance": finance,
        "admin": admin_user,
    }

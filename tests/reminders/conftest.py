from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reminders.services import scan_due_reminders

# A Wednesday morning in London; tests place meetings, claims and offers around it.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://coproduction.example.org"
    # Many users per test: a fast hasher keeps the suite quick on a shared machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _confirmations_off(request):
    """Most tests here are about one reminder; the confirmations that every new invitation and
    offer also produce would only add noise. test_confirmations.py switches them on."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        if not request.node.get_closest_marker("django_db"):
            return
    from reminders.models import ReminderSetting
    from reminders.services import reminder_settings

    reminder_settings()  # creates any missing rows first
    ReminderSetting.objects.filter(kind__in=["meeting_invited", "offer_made"]).update(enabled=False)


@pytest.fixture
def confirmations_on(_confirmations_off, db):
    from reminders.models import ReminderSetting

    ReminderSetting.objects.filter(kind__in=["meeting_invited", "offer_made"]).update(enabled=True)


@pytest.fixture
def by_phone(contributor):
    """Zoë asked to be phoned rather than emailed."""
    contributor.profile.contact_method = "phone"
    contributor.profile.phone = "07700 900123"
    contributor.profile.save()
    return contributor


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """Run the scan at a given moment, sending in-process (Celery eager), as `make run` does."""

    def run(now=NOW, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return scan_due_reminders(now=now, **kwargs)

    return run

"""Settings are read from the environment, and production refuses unsafe ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from coproduction.settings import email_settings_from_url, env_bool

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests; a deployment never has it.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=300,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_passes_the_deployment_checklist_in_production_mode():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-value-0123456789",
        ALLOWED_HOSTS="coproduction.example.org", BANK_DETAILS_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_bank_details_key():
    result = run_manage(
        "check", DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org", BANK_DETAILS_KEYS="",
    )
    assert result.returncode != 0
    assert "BANK_DETAILS_KEYS is not set" in result.stderr


def test_a_bank_details_key_that_is_not_a_fernet_key_stops_start_up():
    result = run_manage("check", BANK_DETAILS_KEYS="not-a-key")
    assert result.returncode != 0
    assert "BANK_DETAILS_KEYS: key 1 is not a Fernet key" in result.stderr


def test_it_warns_about_the_development_key_in_production_mode():
    # Sanity check that the deploy check would notice a weak key (so the test above can fail).
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="coproduction.example.org",
        BANK_DETAILS_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_it_rejects_a_debug_value_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", True)


def test_it_reads_smtp_settings_from_email_url():
    parsed = email_settings_from_url("smtp://mailer:p%40ss@mail.example.org:587?tls=1")
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert parsed["EMAIL_HOST"] == "mail.example.org"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "mailer"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert parsed["EMAIL_USE_TLS"] is True


def test_it_rejects_an_unknown_email_url_scheme():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with"):
        email_settings_from_url("carrier-pigeon://loft")


def test_it_uses_london_time_and_british_english(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_migrations_are_complete():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


# --- the shared cache (rate limits, used two-factor codes) and trusted proxies -----------------
def test_without_a_cache_url_the_cache_is_the_database_which_migrate_creates(db):
    from django.db import connection

    from coproduction.settings import CACHE_TABLE, cache_settings

    assert cache_settings({}) == {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    }
    assert CACHE_TABLE in connection.introspection.table_names()


@pytest.mark.parametrize("name", ["CACHE_URL", "REDIS_URL"])
def test_a_redis_url_makes_redis_the_cache(name):
    from coproduction.settings import cache_settings

    cache = cache_settings({name: "redis://cache.internal:6379/2"})["default"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache.internal:6379/2"
    }


def test_cache_url_wins_over_redis_url():
    from coproduction.settings import cache_settings

    cache = cache_settings({"CACHE_URL": "db://", "REDIS_URL": "redis://127.0.0.1:6379/0"})["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize("url", ["locmem://", "memcached://127.0.0.1:11211", "127.0.0.1:6379"])
def test_a_cache_that_is_not_shared_or_not_understood_stops_start_up(url):
    from coproduction.settings import cache_settings

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with redis://"):
        cache_settings({"CACHE_URL": url})


def test_it_refuses_a_trusted_proxy_count_it_does_not_understand():
    for value, message in (("two", "must be a whole number"), ("-1", "must be 0 or more")):
        result = run_manage("check", TRUSTED_PROXY_COUNT=value)
        assert result.returncode != 0
        assert f"TRUSTED_PROXY_COUNT {message}" in result.stderr


def test_it_reads_the_number_of_trusted_proxies_from_the_environment():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        TRUSTED_PROXY_COUNT="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2"


def test_a_notify_key_that_is_not_a_whole_key_or_has_no_template_stops_start_up():
    short = run_manage("check", NOTIFY_API_KEY="secret-only")
    assert short.returncode != 0
    assert "NOTIFY_API_KEY must be the whole key GOV.UK Notify gave you" in short.stderr
    key = "live-" + "1" * 36 + "-" + "2" * 36
    no_template = run_manage("check", NOTIFY_API_KEY=key, NOTIFY_SMS_TEMPLATE_ID="")
    assert no_template.returncode != 0
    assert "NOTIFY_SMS_TEMPLATE_ID must be set with NOTIFY_API_KEY" in no_template.stderr
    template = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    both = run_manage("check", NOTIFY_API_KEY=key, NOTIFY_SMS_TEMPLATE_ID=template)
    assert both.returncode == 0, both.stderr

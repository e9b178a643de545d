"""Settings, read from the environment in one place.

Local use needs nothing set: DEBUG is on, SQLite in the project folder, console email,
Celery tasks run in-process. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and usually CELERY_BROKER_URL and EMAIL_URL.
"""

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_count(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more, not {value}.")
    return value


# The database cache's table; created by a migration (coproduction/migrations), so `migrate`
# is all a fresh machine needs.
CACHE_TABLE = "django_cache"


def cache_settings(environ) -> dict:
    """CACHES from CACHE_URL or REDIS_URL. Rate limits, used two-factor codes and login-code
    limits live in the cache, so it must be shared by every process: Redis when a URL is given,
    the database otherwise. A per-process cache (locmem) would let each worker count alone."""
    url = (environ.get("CACHE_URL") or environ.get("REDIS_URL") or "").strip()
    if not url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
        }
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    if scheme in ("db", "database"):
        return {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
        }
    name = "CACHE_URL" if environ.get("CACHE_URL") else "REDIS_URL"
    raise ImproperlyConfigured(
        f"{name} must start with redis://, rediss://, unix:// or db:// (a cache every process "
        f"shares), not {url!r}."
    )


def email_settings_from_url(url: str) -> dict:
    """EMAIL_URL such as smtp://user:pass@host:587?tls=1, smtps://..., console://, locmem://."""
    parsed = urlparse(url)
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(sorted(backends))}://, not {url!r}."
        )
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    result = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme in ("smtp", "smtps"):
        result.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "").lower() in _TRUE,
        )
    return result


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=false the app needs a long random SECRET_KEY "
            "in the environment, for example from: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-key-only-used-while-debug-is-true"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "contributors",
    "projects",
    "expenses",
    "reminders",
    "coproduction",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files stay cacheable; everything else is no-store.
    "coproduction.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coproduction.urls"
WSGI_APPLICATION = "coproduction.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproduction.context_processors.site",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/ can mend a widget's markup (the admin's date and
# time boxes get labels: templates/admin/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if not DEBUG else 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "contributors.User"
# allauth's backend only: every sign-in goes through allauth's flow (rate limits, two-factor
# step). Django's ModelBackend would let any authenticate() call skip both.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# allauth: email is the login; nobody signs up alone, staff invite contributors.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "contributors.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# One address per account, the login. A new one replaces it only once the person follows the link
# emailed to it; until then it counts for nothing (contributors.selectors.email_held_by_another).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {"add_email": "contributors.forms.AddEmailForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins: 5 a minute, 20 in 5 minutes per IP, 5 in 5 minutes per account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
    # Public applications for advertised roles (no account, no CAPTCHA): 5 an hour per address.
    "apply_for_role": "5/h/ip",
}
# Behind a reverse proxy every request comes from the proxy's address. Rate limits per address
# then read the client's address from X-Forwarded-For, trusting only as many entries from the
# right as there are proxies we run (the rest can be forged by the client).
ALLAUTH_TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "").strip() or None
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and ALLAUTH_TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured(
        "Set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both: the header replaces "
        "X-Forwarded-For."
    )
INVITATION_VALID_FOR = timedelta(days=14)
# Optional two-factor sign-in (an authenticator app, with recovery codes), offered to staff.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("SITE_NAME", "Co-production")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Receipts and meeting papers are private: outside MEDIA_ROOT, served only through views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# A single claim line above this is refused as a likely typo (pounds).
CLAIM_LINE_MAX_AMOUNT = Decimal(os.environ.get("CLAIM_LINE_MAX_AMOUNT", "1000.00"))
# Receipt files are kept this many years after the end of the UK tax year in which their claim
# was paid (or closed unpaid), then removed by a nightly job; HMRC and audit need 6 years.
RECEIPT_RETENTION_YEARS = env_int("RECEIPT_RETENTION_YEARS", 6)
if RECEIPT_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("RECEIPT_RETENTION_YEARS must be at least 1.")
# Receipts on one claim: how many files, and how many megabytes in all.
CLAIM_MAX_RECEIPTS = env_int("CLAIM_MAX_RECEIPTS", 20)
CLAIM_MAX_RECEIPTS_MB = env_int("CLAIM_MAX_RECEIPTS_MB", 50)
if CLAIM_MAX_RECEIPTS < 1 or CLAIM_MAX_RECEIPTS_MB < 1:
    raise ImproperlyConfigured("CLAIM_MAX_RECEIPTS and CLAIM_MAX_RECEIPTS_MB must be 1 or more.")


def payment_schedule_from_env() -> dict:
    """The finance team's payment run: which weekday, how often, and how long the bank takes.
    Every date the site promises a contributor is worked out from this."""
    days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    day = os.environ.get("PAYMENT_RUN_DAY", "thursday").strip().lower()
    if day not in days:
        raise ImproperlyConfigured(f"PAYMENT_RUN_DAY must be a weekday, monday to friday, not {day!r}.")
    every = os.environ.get("PAYMENT_RUN_EVERY", "weekly").strip().lower()
    if every not in ("weekly", "fortnightly", "monthly"):
        raise ImproperlyConfigured(
            f"PAYMENT_RUN_EVERY must be weekly, fortnightly or monthly, not {every!r}."
        )
    first = os.environ.get("PAYMENT_RUN_FIRST", "").strip()
    try:
        first_run = date.fromisoformat(first) if first else None
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PAYMENT_RUN_FIRST must be a date like 2026-01-08, not {first!r}."
        ) from exc
    if first_run and first_run.weekday() != days.index(day):
        raise ImproperlyConfigured(f"PAYMENT_RUN_FIRST ({first}) is not a {day.title()}.")
    days_to_bank = env_int("PAYMENT_DAYS_TO_BANK", 3)
    if not 0 <= days_to_bank <= 15:
        raise ImproperlyConfigured("PAYMENT_DAYS_TO_BANK must be between 0 and 15 working days.")
    return {"weekday": days.index(day), "every": every, "first": first_run, "days_to_bank": days_to_bank}


PAYMENT_SCHEDULE = payment_schedule_from_env()


def bank_details_keys_from_env(environ, *, debug: bool, secret_key: str) -> list[str]:
    """Keys that seal bank details at rest (Fernet keys, newest first). Several keys let finance
    rotate: add the new key in front, run `reseal_bank_details`, then drop the old one. Without
    any, a development key is derived from SECRET_KEY; production refuses to start."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    keys = [k.strip() for k in environ.get("BANK_DETAILS_KEYS", "").split(",") if k.strip()]
    if not keys:
        if not debug:
            raise ImproperlyConfigured(
                "BANK_DETAILS_KEYS is not set. With DEBUG=false bank details need their own key, "
                "for example from: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            )
        digest = hashlib.sha256(("bank-details:" + secret_key).encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"BANK_DETAILS_KEYS: key {position} is not a Fernet key (32 bytes, url-safe base64)."
            ) from exc
    return keys


BANK_DETAILS_KEYS = bank_details_keys_from_env(os.environ, debug=DEBUG, secret_key=SECRET_KEY)
# A change of bank details holds the person's next payment this many days, unless finance
# confirm the change by phone (payment diversion fraud).
BANK_CHANGE_HOLD_DAYS = env_count("BANK_CHANGE_HOLD_DAYS", 5)
# The column layout of the bank's bulk-payment file (expenses/bank_file.py LAYOUTS).
BANK_FILE_LAYOUTS = ("uk", "uk_no_header")
BANK_FILE_LAYOUT = os.environ.get("BANK_FILE_LAYOUT", "uk").strip().lower()
if BANK_FILE_LAYOUT not in BANK_FILE_LAYOUTS:
    raise ImproperlyConfigured(
        f"BANK_FILE_LAYOUT must be one of {', '.join(BANK_FILE_LAYOUTS)}, not {BANK_FILE_LAYOUT!r}."
    )

# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# The admin's history pages are for reading: restoring an old version would skip every rule.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CACHES = cache_settings(os.environ)
# Rendered page fragments (core/fragments.py): each process keeps its own copies, out of the way
# of the shared cache's rate limits and used codes; whether a copy is still current is decided by
# the data versions kept in the shared cache above.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Email
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Co-production <noreply@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings_from_url(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# Text messages (SMS) through GOV.UK Notify. Without a key, texts are written to the console
# (and the log), as emails are in development. The key is Notify's "name-service id-secret";
# the template is a Notify text template whose whole content is ((body)).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "").strip()
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "").strip()
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk").strip()
NOTIFY_TIMEOUT = env_int("NOTIFY_TIMEOUT", 20)
if NOTIFY_API_KEY and len(NOTIFY_API_KEY) < 74:
    raise ImproperlyConfigured(
        "NOTIFY_API_KEY must be the whole key GOV.UK Notify gave you (name, service id and secret)."
    )
if NOTIFY_API_KEY and not NOTIFY_SMS_TEMPLATE_ID:
    raise ImproperlyConfigured("NOTIFY_SMS_TEMPLATE_ID must be set with NOTIFY_API_KEY: the template id.")

# Celery: with no broker, tasks run in-process so `make run` needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
# `make run` (manage.py runall) without Redis: kombu's filesystem transport in this folder is
# the broker, so its worker and beat send reminders as production does. One machine only.
CELERY_EMBEDDED_BROKER_DIR = os.environ.get("CELERY_EMBEDDED_BROKER_DIR", "")
if not CELERY_BROKER_URL and CELERY_EMBEDDED_BROKER_DIR:
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = Path(CELERY_EMBEDDED_BROKER_DIR)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    # No fan-out exchanges on the filesystem transport: no remote control, mingle or gossip.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Content-Security-Policy: everything from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SITE_NAME = os.environ.get("SITE_NAME", "Co-production")
# Links in emails and reminders are absolute: where people reach the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

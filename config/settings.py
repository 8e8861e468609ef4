"""Settings for Numbness Diary: one module, driven by environment variables.

Every variable has a default that works for development; production is this same file
with DEBUG=0, a real SECRET_KEY, ALLOWED_HOSTS and a DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


APP_NAME = "Numbness Diary"  # every page, email, notification and the manifest read it from here

DEVELOPMENT_SECRET_KEY = "dev-only-not-secret-numbness-diary"
SECRET_KEY = os.getenv("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = envbool("DEBUG", "1")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Production refuses to start with DEBUG on or the development secret key. "Production" is
# whatever sets ENVIRONMENT=production (docker-compose.yml does).
ENVIRONMENT = os.getenv("ENVIRONMENT", "development")
if ENVIRONMENT == "production":
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (set DEBUG=0).")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Set SECRET_KEY to a random string of 32+ characters.")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HTTPS only. TLS ends at the front server, which says so in SECURE_PROXY_SSL_HEADER (a header
    # name such as X-Forwarded-Proto, sent as "https"); /healthz stays plain HTTP for health checks.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")

if proxy_ssl_header := os.getenv("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")

# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app. Only when the
# direct peer is one of them is X-Forwarded-For believed, for rate limits by address.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")

# The Django admin (/admin/) reads every patient's diary: off in production unless ADMIN_ENABLED=1.
ADMIN_ENABLED = envbool("ADMIN_ENABLED", "0" if ENVIRONMENT == "production" else "1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "web",
    "diary",
    "insights",
    "triage",
    "treatments",
    "questionnaires",
    "report",
    "pwa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed; Django pads each compressed body with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "web.middleware.RequestBodyLimitMiddleware",
    "web.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.middleware.PatientTimezoneMiddleware",
    "pwa.middleware.PatientHeaderMiddleware",
    "csp.middleware.CSPMiddleware",
]

# No inline script or style anywhere: JavaScript and CSS come from static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "script-src": [SELF],
        "style-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

ROOT_URLCONF = "config.urls"
# Whose clock a signed-in request's pages are shown on (web.middleware.PatientTimezoneMiddleware).
PATIENT_CLOCK = "diary.services.clock_of"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Every template of the project is in templates/<app>/; APP_DIRS finds those of DRF and the admin.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.app",
                "diary.context_processors.slots",
                "triage.context_processors.flag_banner",
                "treatments.context_processors.treatments_today",
                "questionnaires.context_processors.questionnaire_offers",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters sent apart from the SQL: psycopg does not quote every value into the text in Python. With
    # DB_PREPARE_THRESHOLD=N (compose: 5), a statement run N times on a connection is prepared by the server, which
    # then parses and plans a save once per connection (docs/benchmarks.md#load). Off by default, as in Django: a
    # pooler in transaction mode may not keep prepared statements (docs/operations.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": envbool("DB_SERVER_SIDE_BINDING", "1"),
            "prepare_threshold": envint("DB_PREPARE_THRESHOLD", "0") or None,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes and threads (web, worker, beat) share the file: transactions take the write
    # lock when they begin, so concurrent saves wait their turn instead of failing with "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so that the integration tests' Celery worker can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "web.scripts.BundleFinder",  # js/bundle/a_b.js: a page's scripts joined into one file
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# WhiteNoise serves hashed names with a ten-year `immutable` Cache-Control, and a gzip and a brotli
# copy of each text file. Source maps are for developer tools only: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

REDIS_URL = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/0")

# Celery. CELERY_TASK_ALWAYS_EAGER=1 runs background work in-process: `make run` sets it
# when no Redis answers.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "0")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest hard time limit of a task acknowledged late (the nightly fan-out, triage/tasks.py); tasks without
# limits of their own get these.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
# Fail fast when Redis is down: saving an episode must never wait on the broker.
# A task whose worker died unacknowledged is delivered again after the visibility timeout: just above the longest
# hard limit, so that a review held by a killed worker comes back within minutes, and never while it still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 30)),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = "UTC"
# Beat's schedule is in config/celery.py; the nightly review fans out at minute 15 of this hour (UTC).
NIGHTLY_REVIEW_HOUR_UTC = envint("NIGHTLY_REVIEW_HOUR_UTC", "3")
if not 0 <= NIGHTLY_REVIEW_HOUR_UTC <= 23:
    raise ImproperlyConfigured(f"NIGHTLY_REVIEW_HOUR_UTC: {NIGHTLY_REVIEW_HOUR_UTC} is not an hour (0 to 23).")

# The cache coalesces review requests; it lives in Redis beside the broker, or in-process
# when background work runs in-process.
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if CELERY_TASK_ALWAYS_EAGER
    else {
        "BACKEND": "web.cache.RedisCache",  # Django's, sharing one client per connection pool
        "LOCATION": os.getenv("CACHE_URL", REDIS_URL),  # the broker's Redis unless the cache has its own
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Throttles (django-ratelimit's fixed windows in the cache above): "count/period" per window.
# Login and the API token endpoint share the password counters, so two doors don't double the guesses.
RATE_LIMITS = {
    "password-account": os.getenv("RATE_LIMIT_PASSWORD_ACCOUNT", "10/15m"),
    "password-address": os.getenv("RATE_LIMIT_PASSWORD_ADDRESS", "30/15m"),
    # A browser that signed in to the account before counts on its own allowance (web/throttles.py).
    "password-device": os.getenv("RATE_LIMIT_PASSWORD_DEVICE", "10/15m"),
    "signup-address": os.getenv("RATE_LIMIT_SIGNUP_ADDRESS", "10/h"),
    "reset-account": os.getenv("RATE_LIMIT_RESET_ACCOUNT", "3/h"),
    "reset-address": os.getenv("RATE_LIMIT_RESET_ADDRESS", "10/h"),
    "share-miss-address": os.getenv("RATE_LIMIT_SHARE_MISSES", "20/15m"),
}
for _name, _rate in RATE_LIMITS.items():
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", _rate):
        raise ImproperlyConfigured(f"Rate limit {_name}: {_rate!r} is not like '10/15m' (count/[n]s|m|h|d).")

# Request bodies: the API takes 1 MB; a whole diary (the import) up to 20 MB; other posts Django's 2.5 MB.
API_MAX_BODY_BYTES = envint("API_MAX_BODY_BYTES", str(1024 * 1024))
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))

SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", f"{APP_NAME} <diary@localhost>")

# Web Push (VAPID). `python manage.py generate_vapid_keys` prints a pair. Without them, development makes
# its own pair once in a gitignored file; production without them sends reminders by email only.
VAPID_PUBLIC_KEY = os.getenv("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.getenv("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.getenv("VAPID_SUBJECT", "mailto:diary@localhost")
VAPID_DEV_KEY_FILE = None if ENVIRONMENT == "production" else BASE_DIR / ".vapid-dev.json"
# The push services' public hosts, the only places the server POSTs a notification to (https, port 443; "*.x" is
# any subdomain of x): Google's FCM (Chrome, Edge on Android, Samsung Internet), Mozilla's autopush (Firefox),
# Apple's (Safari, iOS 16.4+ home-screen apps) and Microsoft's WNS (Edge on Windows).
PUSH_SERVICE_HOSTS = envlist(
    "PUSH_SERVICE_HOSTS", "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,*.notify.windows.com"
)

# API tokens (django-rest-knox): only a digest is stored; a token lasts API_TOKEN_DAYS after it was last used, and
# a new password, "Sign out everywhere" or "Remove" in Settings ends it (diary/accounts.py).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "90")
API_TOKENS_PER_PATIENT = envint("API_TOKENS_PER_PATIENT", "20")  # past this, signing in again ends the least used
KNOX_TOKEN_MODEL = "diary.ApiToken"
# knox's own token table is swapped for diary.ApiToken: its migrations would still create it (and PostgreSQL's
# TRUNCATE of the users would then trip on its foreign key), so they are not run.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60 * 60,  # the expiry is written at most hourly per token, not on every request
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK = {
    # The token first: a caller without credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diary.accounts.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API's conventions (web/api.py): the schema lists every error answer, and
    # the domain's errors (a Django ValidationError, "not yours") become 400 and 404 in one place.
    "DEFAULT_SCHEMA_CLASS": "web.api.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "web.api.exception_handler",
    # Bodies are JSON only, with a nesting limit; the token endpoint also takes a form (diary/api.py).
    "DEFAULT_PARSER_CLASSES": ["web.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{APP_NAME} API",
    "DESCRIPTION": "A patient's own leg-numbness diary. Every route is scoped to the signed-in patient.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

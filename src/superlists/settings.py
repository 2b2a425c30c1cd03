"""Settings for Superlists.

Every setting that comes from the environment is read here, and nowhere else. What each
variable means, its default, and which production mode (``DJANGO_DEBUG_FALSE``) requires are in
one table: the README's "Settings". Development is the default: DEBUG on, a throwaway secret key,
SQLite in ``src/db.sqlite3`` and emails printed to the console.
"""

import os
import re
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from observability.log_formats import PLAIN
from operations.production_guard import running_in_production_image, staging_marker_mounted
from superlists.environment import env_flag

BASE_DIR = Path(__file__).resolve().parent.parent


def required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG_FALSE is set, or this is the production image) needs"
            f" the environment variable {name}: "
            "set it in the server's env file (superlists.env)."
        )
    return value


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} must be a whole number.") from None


def env_networks(
    name: str, environ: Mapping[str, str] = os.environ
) -> list[IPv4Network | IPv6Network]:
    """A comma-separated list of addresses or networks (``10.0.0.0/8, 192.0.2.7``)."""
    try:
        return [
            ip_network(part.strip()) for part in environ.get(name, "").split(",") if part.strip()
        ]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


# The production image runs production settings whatever its environment (`env -u
# DJANGO_DEBUG_FALSE`, `env -i`): development settings exist only in a source checkout, where
# DJANGO_DEBUG_FALSE is the switch. operations.production_guard says why.
PRODUCTION = "DJANGO_DEBUG_FALSE" in os.environ or running_in_production_image()
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")

if PRODUCTION:
    DEBUG = False
    SECRET_KEY = required_env("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = [host.strip() for host in required_env("DJANGO_ALLOWED_HOST").split(",")]
    DATABASE_PATH = None if DATABASE_URL else Path(required_env("DJANGO_DB_PATH"))
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = required_env("EMAIL_HOST")
    EMAIL_HOST_USER = required_env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_PASSWORD", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
    DEFAULT_FROM_EMAIL = EMAIL_HOST_USER
    # Only a staging server's deploy mounts the staging marker, read-only, into the container.
    ENABLE_TEST_FIXTURES = staging_marker_mounted()
    SITE_URL = required_env("SITE_URL")
    HTTPS = env_flag("DJANGO_HTTPS", default=False)
else:
    DEBUG = True
    SECRET_KEY = "insecure-key-for-development-only"
    ALLOWED_HOSTS = ["*"]
    DATABASE_PATH = BASE_DIR / "db.sqlite3"
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    DEFAULT_FROM_EMAIL = "noreply@superlists.localhost"
    ENABLE_TEST_FIXTURES = True
    # Serve static files straight from the apps' folders: no collectstatic needed to develop.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    SITE_URL = os.environ.get("SITE_URL", "")
    HTTPS = False

SITE_URL = SITE_URL.rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} must be a scheme and host only, like https://superlists.example.com"
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "observability",
    "operations",
    "lists",
    "accounts",
]
if ENABLE_TEST_FIXTURES:
    INSTALLED_APPS.append("functional_tests")

# First: every response, 500s included, gets its request ID and its log line.
MIDDLEWARE = [
    "observability.request_logging.RequestLogMiddleware",
    "observability.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sitewide.bad_requests.RefuseUnreadableFormsMiddleware",
    "sitewide.caching.PrivatePagesMiddleware",
]

# Nothing inline and nothing from elsewhere, on every page. Bootstrap's CSS draws its validation
# icons as data: SVG images, hence img-src data: (an image cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
# Forms carry the CSRF token in the page and no script reads the cookie, so scripts need not see it.
CSRF_COOKIE_HTTPONLY = True

# With DJANGO_HTTPS, browsers are sent to HTTPS and told to stay there (HSTS), and cookies never
# travel over plain HTTP. Without it a plain-HTTP staging server keeps working: a browser would
# never send secure cookies back over HTTP, so nobody could log in there.
SECURE_SSL_REDIRECT = HTTPS
# The proxy's health checks and the host's metrics scrapes reach the app over plain HTTP,
# without X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
# Both opt-in, off by default, as each is hard to take back. includeSubDomains holds every
# subdomain to HTTPS too, so one still served over plain HTTP stops working for a year. preload
# consents to browsers shipping the domain as HTTPS-only once someone submits it to the list,
# and leaving that list takes months of browser releases.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = HTTPS and env_flag("DJANGO_HSTS_PRELOAD", False)
# check --deploy would otherwise warn about each until it is on: off is a decision, not a slip.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

REVERSE_PROXIES = env_int("DJANGO_REVERSE_PROXIES", 0)
# Who may read /metrics through the proxy (observability.metrics): none by default; requests
# that come straight to gunicorn (the host, the load balancer's health network) may.
METRICS_ALLOWED_NETWORKS = env_networks("DJANGO_METRICS_ALLOWED_NETWORKS")
if REVERSE_PROXIES:
    # Believed only behind our own proxy, which sets this header whatever the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ROOT_URLCONF = "superlists.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% static %} in every template without {% load static %} (the speed layer's
            # remembering tags take the same place).
            "builtins": ["django.templatetags.static"],
        },
    },
]

WSGI_APPLICATION = "superlists.wsgi.application"

if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATABASE_PATH),
            # Keep each worker's connection, rather than opening the file and running the
            # PRAGMAs below again for every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Several gunicorn workers write to one file. WAL lets readers go on while one
                # writes; IMMEDIATE takes the write lock at BEGIN, so a transaction that reads
                # then writes queues for the lock (up to the timeout) instead of failing with
                # "database is locked" when it tries to upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

# manage.py backup_database / restore_database (operations.backups).
BACKUP_DIR = Path(
    os.environ.get("DJANGO_BACKUP_DIR")
    or ("/backups" if PRODUCTION else BASE_DIR.parent / "backups")
)
BACKUP_KEEP_DAYS = env_int("DJANGO_BACKUP_KEEP_DAYS", 14)

# Shared by every app instance: sessions live in the database (Django's default), and the cache
# (the login throttle) in the database too, unless Redis is configured.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.authentication.PasswordlessAuthenticationBackend"]
LOGIN_TOKEN_MAX_AGE = env_int("LOGIN_TOKEN_MAX_AGE", 15 * 60)
LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS = env_int("LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS", 3)
LOGIN_EMAILS_PER_MINUTE_PER_IP = env_int("LOGIN_EMAILS_PER_MINUTE_PER_IP", 20)
SHARE_EMAILS_PER_MINUTE_PER_OWNER = env_int("SHARE_EMAILS_PER_MINUTE_PER_OWNER", 10)
SHARE_EMAILS_PER_MINUTE_PER_ADDRESS = env_int("SHARE_EMAILS_PER_MINUTE_PER_ADDRESS", 3)
SHARE_EMAILS_PER_MINUTE_PER_IP = env_int("SHARE_EMAILS_PER_MINUTE_PER_IP", 20)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
if PRODUCTION:
    # Hashed names, gzip/brotli copies and far-future cache headers, served by whitenoise.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MESSAGE_TAGS = {40: "danger"}  # messages.ERROR is Bootstrap's "danger"

TEST_RUNNER = "superlists.test_runner.CountingTestRunner"

# The speed layer (src/speedups/, whose docstring lists each piece, what it replaces, its parity
# test and its saving): the same pages for less work. SUPERLISTS_SPEEDUPS=0 leaves Django's own
# code everywhere; this is the only place the layer is wired in.
SPEEDUPS = env_flag("SUPERLISTS_SPEEDUPS", True)
if SPEEDUPS:
    from speedups.wiring import speed_up

    speed_up(TEMPLATES)

# Error reports (observability.error_reports), with SENTRY_DSN. The release is the image's ID, which
# the deploy passes as SUPERLISTS_RELEASE; the environment is staging on a staging server (the
# fixtures' marker), production in production mode, unless SUPERLISTS_ENVIRONMENT says.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
RELEASE = os.environ.get("SUPERLISTS_RELEASE") or None
ENVIRONMENT = os.environ.get("SUPERLISTS_ENVIRONMENT") or (
    ("staging" if ENABLE_TEST_FIXTURES else "production") if PRODUCTION else "development"
)
if SENTRY_DSN:
    from observability.error_reports import start_error_reports

    start_error_reports(SENTRY_DSN, release=RELEASE, environment=ENVIRONMENT)

# Everything at INFO and above goes to the console, so that a server's traceback shows up in
# `docker logs`, not only as a bare "Server Error (500)" page: a line per request
# (observability.request_logging), each line with its request ID and no email address in it, in
# the format DJANGO_LOG_FORMAT names (observability.log_formats). Django's own `django.request`
# lines are kept for errors (their tracebacks): a 4xx is already the request's own line.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "") or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "observability.request_ids.RequestIdLogFilter"},
        "redact_email_addresses": {"()": "observability.redaction.RedactEmailAddresses"},
        "quiet_health_checks": {"()": "observability.request_logging.QuietHealthChecks"},
    },
    "formatters": {
        "plain": {"format": PLAIN, "style": "{"},
        "json": {"()": "observability.log_formats.JsonLineFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact_email_addresses"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "ERROR", "filters": ["quiet_health_checks"]}},
}

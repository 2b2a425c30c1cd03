"""Settings for Superlists.

Every setting that comes from the environment is read here, and nowhere else.

Development is the default: DEBUG on, a throwaway secret key, SQLite in ``src/db.sqlite3`` and
emails printed to the console (so the login link shows in the terminal).

Production mode is switched on by ``DJANGO_DEBUG_FALSE``. Then these must be set, or start-up
fails naming the missing one: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOST`` (comma-separated for
several), ``DJANGO_DB_PATH``, ``EMAIL_HOST`` and ``EMAIL_HOST_USER``. Optional: ``EMAIL_PORT``
(587), ``EMAIL_USE_TLS`` (1) and ``EMAIL_PASSWORD``: a server may deliberately run without one
(staging, to reproduce the book's 530 error), so its absence is a system-check warning, not a
crash (see ``superlists.checks``).

``DATABASE_URL`` (e.g. ``postgres://user:password@host/name``) switches from SQLite to that
database server, in both modes; in production it replaces ``DJANGO_DB_PATH``.
``REDIS_URL`` (or ``CACHE_URL``, a ``redis://`` URL) puts the cache in Redis instead of the
database. Either way nothing is kept in the app's process, so several instances act as one.

``DJANGO_ENABLE_TEST_FIXTURES`` (production mode only; always on in development) installs the
functional tests' server-side fixture commands (``create_session``, ``reset_database``). A staging
server's env file sets it; production's never does.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(
            f"Production mode (DJANGO_DEBUG_FALSE is set) needs the environment variable {name}: "
            "set it in the server's env file (superlists.env)."
        )
    return value


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.lower() not in {"0", "false", "no", "off"}


PRODUCTION = "DJANGO_DEBUG_FALSE" in os.environ
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
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
    DEFAULT_FROM_EMAIL = EMAIL_HOST_USER
    ENABLE_TEST_FIXTURES = env_flag("DJANGO_ENABLE_TEST_FIXTURES", default=False)
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

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "superlists",
    "lists",
    "accounts",
]
if ENABLE_TEST_FIXTURES:
    INSTALLED_APPS.append("functional_tests")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            "NAME": DATABASE_PATH,
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

# Everything at INFO and above goes to the console, so that a server's traceback shows up in
# `docker logs`, not only as a bare "Server Error (500)" page.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {asctime} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

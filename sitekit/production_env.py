"""Superlists in production mode on this machine, for the benchmark and the load test: the
environment its instances run in, and its database and static files made ready for them."""

import os
import secrets

from sitekit import config
from sitekit.child_process import run_python


def production_env(database: dict[str, str], **extra: str) -> dict[str, str]:
    """Production settings for instances that share ``database`` (DATABASE_URL or a DB path)."""
    return {
        **os.environ,
        "DJANGO_DEBUG_FALSE": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOST": config.BIND_HOST,
        # Where login links point; the load test opens their path on an instance of its choice.
        "SITE_URL": f"http://{config.BIND_HOST}",
        "EMAIL_HOST": config.BIND_HOST,
        "EMAIL_PORT": "1",  # nothing listens there unless a test says otherwise
        "EMAIL_HOST_USER": "noreply@superlists.test",
        "EMAIL_USE_TLS": "0",
        **database,
        **extra,
    }


def postgres_url_for_tests() -> str:
    """The PostgreSQL database the tests may fill, from DATABASE_URL; an error naming the fix."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise AssertionError(
            "These tests need DATABASE_URL=postgres://… naming a database they may fill: "
            "run scripts/test-postgres."
        )
    return database_url


def prepare(env: dict[str, str]) -> None:
    """Migrate the database and collect the static files, as the image and the deploy do."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        run_python(env, "manage.py", *command, "-v0")

"""Server-side fixtures for the functional tests: pre-authenticated sessions and database resets.

They run locally (called directly) or on a staging server (as the management commands
``create_session`` and ``reset_database``). Both refuse to run unless the server's own settings
enable test fixtures, which production's never do.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command

from accounts.models import User


class FixturesDisabled(Exception):
    pass


def ensure_fixtures_enabled() -> None:
    if not settings.ENABLE_TEST_FIXTURES:
        raise FixturesDisabled(
            "Test fixtures are disabled on this server: it is not a staging server. "
            "A staging server's env file sets DJANGO_ENABLE_TEST_FIXTURES=1; "
            "production's never does."
        )


def create_pre_authenticated_session(email: str) -> str:
    """Log ``email`` in (creating the user if needed) in a new session; return its key."""
    ensure_fixtures_enabled()
    user, _created = User.objects.get_or_create(email=email)
    session = SessionStore()
    session[SESSION_KEY] = user.pk
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session.create()
    return session.session_key


def reset_database() -> None:
    """Empty every data table (lists, items, users, tokens, sessions), keeping the schema."""
    ensure_fixtures_enabled()
    call_command("flush", interactive=False, verbosity=0)

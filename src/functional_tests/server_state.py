"""The state the functional tests put a server in: a pre-authenticated session, an empty
database, login links made to have expired.

Plain functions, run in the server's own process: the test's live server calls them directly;
on a staging server, `manage.py serve_fixture_commands` calls them for the FTs (and the
management commands ``create_session``, ``reset_database`` and ``expire_login_links`` for a
person). All refuse to run unless the server's own settings enable test fixtures, which
production's never do, and wherever the data may be production's whatever the settings say.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Token, User
from operations.production_guard import holds_production_data


class FixturesDisabled(Exception):
    pass


def ensure_fixtures_enabled() -> None:
    """Checked here, by the code that does the damage, and not only by which settings loaded:
    wherever the data may be production's (operations.production_guard), the answer is no."""
    if holds_production_data() or not settings.ENABLE_TEST_FIXTURES:
        raise FixturesDisabled(
            "Test fixtures are disabled on this server: it is not a staging server. "
            "Only a staging server's deploy mounts /etc/superlists/staging (read-only) "
            "into its container; production's never does."
        )


def create_pre_authenticated_session(email: str) -> str:
    """Log ``email`` in (creating the user if needed) in a new session; return its key."""
    ensure_fixtures_enabled()
    user, _created = User.objects.get_or_create(email=email)
    session = SessionStore()
    session[SESSION_KEY] = user.pk
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session.create()
    assert session.session_key is not None  # create() has just saved it under a new key
    return session.session_key


def reset_database() -> None:
    """Empty every data table (lists, items, users, tokens, sessions), keeping the schema, and
    the cache, so no test inherits another's count of login emails asked for."""
    ensure_fixtures_enabled()
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()


def expire_login_links(email: str) -> int:
    """Make the login links sent to ``email`` just too old to work, as if the user had waited
    longer than ``LOGIN_TOKEN_MAX_AGE`` before clicking. Returns how many there were."""
    ensure_fixtures_enabled()
    too_old = timezone.now() - timedelta(seconds=settings.LOGIN_TOKEN_MAX_AGE + 1)
    return Token.objects.filter(email=email).update(created_at=too_old)

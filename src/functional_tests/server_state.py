"""The state the functional tests put a server in: a pre-authenticated session, an empty
database, login links made to have expired.

Plain functions, run in the server's own process: the test's live server calls them directly;
on a staging server, `manage.py serve_fixture_commands` calls them for the FTs (and the
management commands ``create_session``, ``reset_database`` and ``expire_login_links`` for a
person). All refuse to run unless the server's own settings enable test fixtures, which
production's never do, and wherever the data may be production's whatever the settings say.
"""

import fcntl
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Token, User
from operations.production_guard import holds_production_data

RUN_MARKER_NAME = "superlists-ft-run"  # the id of the FT run whose reset emptied the database


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


def reset_database(run: str = "") -> None:
    """Empty every data table (lists, items, users, tokens, sessions), keeping the schema, and
    the cache, so no test inherits another's count of login emails asked for.

    With ``run`` (the id of an FT run), only the run's first reset empties the tables, and every
    one clears the cache: the tests of a --parallel run share this server, and a later reset
    would empty it under another test's feet. Each test's people are its own (new addresses),
    and so are their lists. A second reset of the run waits for the first to finish.
    """
    ensure_fixtures_enabled()
    # In the server's /tmp, which every process of the container sees (each FT worker's
    # fixture channel is a `docker exec` of its own), and a new container does not.
    with open(Path(tempfile.gettempdir()) / RUN_MARKER_NAME, "a+") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)
        marker.seek(0)
        if not run or marker.read() != run:
            call_command("flush", interactive=False, verbosity=0)
            marker.seek(0)
            marker.truncate()
            marker.write(run)
    cache.clear()


def expire_login_links(email: str) -> int:
    """Make the login links sent to ``email`` just too old to work, as if the user had waited
    longer than ``LOGIN_TOKEN_MAX_AGE`` before clicking. Returns how many there were."""
    ensure_fixtures_enabled()
    too_old = timezone.now() - timedelta(seconds=settings.LOGIN_TOKEN_MAX_AGE + 1)
    return Token.objects.filter(email=email).update(created_at=too_old)

import logging
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

# A release creates this in the old container before stopping it (infra/roles/superlists): the
# proxy's health checks then send new requests to the new release only.
DRAINING = Path("/tmp/superlists-draining")


class DatabaseHealth:
    """What the health checks found, told once a change: the proxy asks every second, and an
    ERROR line each time is an error report each time (Sentry) for one outage."""

    def __init__(self) -> None:
        self.problem = ""

    def found(self, problem: str) -> None:
        if problem and problem != self.problem:
            logger.error("Health check failed: %s", problem)
        elif self.problem and not problem:
            logger.warning("Health check passes again (it failed: %s)", self.problem)
        self.problem = problem


# Per process: each worker tells of an outage it sees, once.
DATABASE_HEALTH = DatabaseHealth()


def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" once this instance can serve requests: its database answers, migrated; else 503
    "draining" (a release is handing over) or 503 "unavailable".

    The proxy sends a release traffic only after this answers 200, and the image's HEALTHCHECK
    asks it too; so it must not depend on anything a visitor brings (session, cookies). Anyone
    may ask it, so it answers with a status word only: why the database is unavailable (the
    driver's message names its host and port) goes to the log, for the operator.
    """
    if DRAINING.exists():
        return status_word("draining", 503)
    problem = database_problem()
    DATABASE_HEALTH.found(problem)
    if problem:
        return status_word("unavailable", 503)
    return status_word("ok", 200)


def status_word(word: str, status: int) -> HttpResponse:
    return HttpResponse(f"{word}\n", status=status, content_type="text/plain")


def database_problem() -> str:
    """Why this instance cannot use its database, or "" if it can.

    A SQLite database whose file has been deleted, or whose mount has gone, under a running
    server still answers queries on the connection that had it open (the file lives on until
    it is closed), while every new connection would start an empty database: so the file
    itself must still be there.
    """
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not SQLiteCreation.is_in_memory_db(name):
        path = Path(name)
        if not path.is_file():
            return f"the SQLite database file {path} is not there"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
    except DatabaseError as error:
        return f"database unavailable: {error}"
    return ""

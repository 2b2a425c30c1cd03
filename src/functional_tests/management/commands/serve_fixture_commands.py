import inspect
import json
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from functional_tests.server_state import (
    FixturesDisabled,
    create_pre_authenticated_session,
    ensure_fixtures_enabled,
    expire_login_links,
    reset_database,
)
from operations.server_info import server_info


def _reset_database(run: str = "") -> str:
    reset_database(run)
    return "database reset"


def _expire_login_links(email: str) -> str:
    return f"{expire_login_links(email)} login link(s) expired"


# What the FTs may ask for, by the names of the management commands that do the same: each a
# plain function of server_state, answering with what the command would print.
FIXTURE_COMMANDS: dict[str, Callable[..., str]] = {
    "create_session": create_pre_authenticated_session,
    "expire_login_links": _expire_login_links,
    "reset_database": _reset_database,
}


def run_fixture_command(request_line: str) -> dict[str, Any]:
    """Run one request, a JSON list such as ["create_session", "edith@example.com"]."""
    try:
        request = json.loads(request_line)
    except ValueError:
        request = None
    if not (isinstance(request, list) and request and all(isinstance(r, str) for r in request)):
        return {"ok": False, "error": f"not a JSON list of strings: {request_line.strip()!r}"}
    name, *arguments = request
    if name not in FIXTURE_COMMANDS:
        return {"ok": False, "error": f"{name!r} is not one of {', '.join(FIXTURE_COMMANDS)}"}
    fixture = FIXTURE_COMMANDS[name]
    try:
        inspect.signature(fixture).bind(*arguments)
    except TypeError as wrong_arguments:
        return {"ok": False, "error": f"{name}: {wrong_arguments}"}
    close_old_connections()  # as Django does before each request: a server restart, a timeout
    try:
        output = fixture(*arguments)
    except FixturesDisabled as refusal:
        return {"ok": False, "error": str(refusal)}
    return {"ok": True, "output": output}


class Command(BaseCommand):
    help = (
        "Say what this server is (server_info) in a first JSON line, then run the FT fixture "
        "commands named on standard input, one JSON list per line, answering each with a JSON "
        "line: the FTs keep one running per test run instead of paying Django's start-up for "
        "every test (staging servers only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ensure_fixtures_enabled()
        except FixturesDisabled as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(json.dumps({"ok": True, "server_info": server_info()}))
        self.stdout.flush()
        for request_line in sys.stdin:
            self.stdout.write(json.dumps(run_fixture_command(request_line)))
            self.stdout.flush()

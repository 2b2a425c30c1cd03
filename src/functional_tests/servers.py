"""Which server the functional tests talk to, chosen once per test class by ``server_for``:

- ``LocalServer``: the test's own live server (``StaticLiveServerTestCase``), in this process;
- ``StagingServer``: a deployed server, when ``TEST_SERVER`` is set. Its state is set over SSH,
  through one ``manage.py serve_fixture_commands`` in its container for the whole run (a
  ``FixtureChannel``), and its emails are read from a real mailbox over POP3.

Both have the same operations: ``url``, ``reset()``, ``create_session(email)``,
``expire_login_links(email)``, ``email_address(name)``, ``email_body(recipient, subject,
sent_after)``, ``log_since(moment)`` (the server's log lines, for a failed test's report:
``functional_tests.server_log``) and ``close()``. A test never asks which one it has.

Every environment variable the FTs read about a server is read here; the README's table
("Staging on this machine") says what each means.
"""

import itertools
import json
import logging
import os
import re
import secrets
import shlex
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol

from django.core import mail
from django.core.cache import cache

from functional_tests import server_state
from functional_tests.fixture_channel import FixtureChannel
from functional_tests.mailbox import Pop3Account, wait_for_email
from functional_tests.process_end import close_at_exit
from functional_tests.server_log import RecordedLog
from functional_tests.ssh import SSH_TIMEOUT, RemoteCommandFailed, run_over_ssh, ssh_command
from superlists.environment import env_flag

EMAIL_TIMEOUT = 30  # seconds
# The test run's id, which its --parallel workers inherit: on a staging server only the run's
# first reset empties the database (server_state.reset_database).
RUN_ID = os.environ.setdefault("FT_RUN_ID", secrets.token_hex(8))
LOG_CLOCK_MARGIN = timedelta(seconds=1)


class Server(Protocol):
    @property
    def url(self) -> str: ...

    def reset(self) -> None: ...
    def create_session(self, email: str) -> str: ...
    def expire_login_links(self, email: str) -> None: ...
    def email_address(self, name: str) -> str: ...
    def email_body(self, recipient: str, subject: str, sent_after: datetime) -> str: ...
    def log_since(self, moment: datetime) -> str: ...
    def close(self) -> None: ...


def server_for(live_server_url: str, environ: Mapping[str, str] = os.environ) -> Server:
    address = environ.get("TEST_SERVER")
    if address:
        return StagingServer(address, environ)
    return LocalServer(live_server_url)


class LocalServer:
    """The test's own live server: its state is set by calling ``server_state`` directly, its
    emails land in Django's test outbox, and its log lines (it runs in this process) are
    recorded by a handler on the root logger while this object is open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._log = RecordedLog()
        logging.getLogger().addHandler(self._log)

    def reset(self) -> None:
        # The test case empties the database; the cache keeps the login-email counts.
        cache.clear()

    def create_session(self, email: str) -> str:
        return server_state.create_pre_authenticated_session(email)

    def expire_login_links(self, email: str) -> None:
        server_state.expire_login_links(email)

    def email_address(self, name: str) -> str:
        return f"{name}@example.com"

    def email_body(self, recipient: str, subject: str, sent_after: datetime) -> str:
        """The body of the email to ``recipient`` with ``subject``, taken from the outbox."""
        deadline = time.monotonic() + EMAIL_TIMEOUT
        while True:
            for message in mail.outbox:
                if recipient in message.to and message.subject == subject:
                    mail.outbox.remove(message)
                    return str(message.body)
            if time.monotonic() > deadline:
                seen = [f"to {m.to}, {m.subject!r}" for m in mail.outbox]
                raise AssertionError(f"No email to {recipient} with subject {subject!r}: {seen}")
            time.sleep(0.05)

    def log_since(self, moment: datetime) -> str:
        return self._log.since(moment)

    def close(self) -> None:
        logging.getLogger().removeHandler(self._log)


class MissingSetting(Exception):
    pass


class ProductionTargetRefused(Exception):
    pass


class FixtureChannels:
    """The run's fixture channels, one for each command that reaches one: each started when
    first asked for, again if it has ended (a redeploy replaced the container), and ended with
    the run."""

    def __init__(self) -> None:
        self._channels: dict[tuple[str, ...], FixtureChannel] = {}

    def running(self, command: list[str], where: str) -> FixtureChannel:
        """The channel ``command`` starts, which reaches ``where`` (for messages)."""
        channel = self._channels.get(tuple(command))
        if channel is None or not channel.is_running():
            if channel is not None:
                channel.close()
            close_at_exit(self)
            channel = FixtureChannel(command, where, timeout=SSH_TIMEOUT)
            self._channels[tuple(command)] = channel
        return channel

    def close(self) -> None:
        while self._channels:
            self._channels.popitem()[1].close()


FIXTURE_CHANNELS = FixtureChannels()


class StagingServer:
    """A deployed server the FTs may reset and log people in on, which it proves first.

    Before anything that changes its data, two checks: its host must not match
    FT_PRODUCTION_HOSTS, and the server itself must say that it allows test fixtures and serves
    that host. The server's own fixture functions refuse too (``server_state``).
    """

    def __init__(self, address: str, environ: Mapping[str, str]) -> None:
        self.address = address
        self.environ = dict(environ)
        self._confirmed_staging = False
        # Unique to this server object, so no email from an earlier test class or run can match.
        self._address_tag = secrets.token_hex(4)
        self._address_numbers = itertools.count(1)

    @property
    def url(self) -> str:
        return f"https://{self.address}"

    @property
    def host(self) -> str:
        return self.address.rsplit(":", 1)[0] if self.address.count(":") == 1 else self.address

    @property
    def ssh_destination(self) -> str:
        return self.environ.get("TEST_SERVER_SSH") or f"root@{self.host}"

    @property
    def container(self) -> str:
        return self.environ.get("TEST_SERVER_CONTAINER") or "superlists"

    @cached_property
    def production_hosts(self) -> re.Pattern[str] | None:
        pattern = self.environ.get("FT_PRODUCTION_HOSTS")
        return re.compile(pattern, re.IGNORECASE) if pattern else None

    def is_production(self) -> bool:
        return bool(self.production_hosts and self.production_hosts.fullmatch(self.host))

    @cached_property
    def pop3(self) -> Pop3Account:
        use_ssl = env_flag("FT_POP3_SSL", default=False, environ=self.environ)
        return Pop3Account(
            host=self._require("FT_POP3_HOST"),
            port=int(self.environ.get("FT_POP3_PORT") or (995 if use_ssl else 110)),
            use_ssl=use_ssl,
            user=self._require("FT_POP3_USER"),
            password=self._require("FT_POP3_PASSWORD"),
        )

    def reset(self) -> None:
        self._run_fixture("reset_database", RUN_ID)

    def create_session(self, email: str) -> str:
        return self._run_fixture("create_session", email)

    def expire_login_links(self, email: str) -> None:
        self._run_fixture("expire_login_links", email)

    def email_address(self, name: str) -> str:
        """A new address in the test mailbox for each call: ``user+NAME-TAG-N@domain``."""
        user, _, domain = self._require("FT_EMAIL_ADDRESS").partition("@")
        return f"{user}+{name}-{self._address_tag}-{next(self._address_numbers)}@{domain}"

    def email_body(self, recipient: str, subject: str, sent_after: datetime) -> str:
        message = wait_for_email(self.pop3, recipient, subject, sent_after, EMAIL_TIMEOUT)
        body = message.get_body(preferencelist=("plain",))
        if body is None:
            raise AssertionError(f"The email to {recipient} ({subject!r}) has no plain-text part")
        return str(body.get_content())

    def log_since(self, moment: datetime) -> str:
        """The app container's log (gunicorn's and the app's lines: docker keeps both streams)
        since ``moment``, less a second for the two clocks; read over SSH, as an operator would."""
        since = (moment - LOG_CLOCK_MARGIN).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        command = shlex.join(["docker", "logs", "--since", since, self.container])
        return run_over_ssh(self.ssh_destination, f"{command} 2>&1")

    def server_info(self) -> dict[str, Any]:
        """What the server says it is: in its fixture channel's greeting, or, where that cannot
        start (production has no fixture commands), from `manage.py server_info`."""
        try:
            return self._fixture_channel().server_info
        except RemoteCommandFailed:
            return dict(json.loads(run_over_ssh(self.ssh_destination, self._manage("server_info"))))

    def ensure_staging(self) -> None:
        if self.is_production():
            assert self.production_hosts is not None
            raise ProductionTargetRefused(
                f"Refusing to touch {self.host}: it matches FT_PRODUCTION_HOSTS "
                f"({self.production_hosts.pattern})."
            )
        if self._confirmed_staging:
            return
        info = self.server_info()
        if info.get("test_fixtures") is not True:
            raise ProductionTargetRefused(
                f"Refusing to touch {self.host}: the container {self.container!r} there says "
                f"test fixtures are disabled, so it is not a staging server ({info})."
            )
        if self.host not in info.get("allowed_hosts", []):
            raise ProductionTargetRefused(
                f"Refusing to touch {self.host}: the container {self.container!r} reached "
                f"through {self.ssh_destination} serves {info.get('allowed_hosts')}, "
                f"not {self.host}."
            )
        self._confirmed_staging = True

    def close(self) -> None:
        """Nothing to end: its fixture channel is the run's (``FIXTURE_CHANNELS``)."""

    def _run_fixture(self, *arguments: str) -> str:
        self.ensure_staging()
        return self._fixture_channel().run(*arguments)

    def _fixture_channel(self) -> FixtureChannel:
        """`manage.py serve_fixture_commands` in the container, reached over SSH once for the
        whole run, so that Django starts there once rather than for every test or test class
        (~1 s each time). It is asked nothing before its greeting has been checked."""
        where = f"the container {self.container!r} on {self.ssh_destination}"
        command = ssh_command(
            self.ssh_destination, self._manage("serve_fixture_commands", interactive=True)
        )
        return FIXTURE_CHANNELS.running(command, where)

    def _manage(self, *arguments: str, interactive: bool = False) -> str:
        docker_exec = ["docker", "exec", "--interactive"] if interactive else ["docker", "exec"]
        return shlex.join([*docker_exec, self.container, "python", "manage.py", *arguments])

    def _require(self, name: str) -> str:
        value = self.environ.get(name)
        if not value:
            raise MissingSetting(
                f"TEST_SERVER={self.address} needs {name} to be set "
                "(see src/functional_tests/servers.py; the stand-in host's values are printed "
                "by `python -m infra.standin env`)."
            )
        return value

"""Where the functional tests point: the local live server, or a deployed server.

Every environment variable the FTs read about a server is read here:

``TEST_SERVER``            host or host:port of the server under test; unset: the local live server
``TEST_SERVER_SSH``        SSH destination of that server's host (default ``root@<host>``)
``TEST_SERVER_CONTAINER``  name of the app's container there (default ``superlists``)
``FT_PRODUCTION_HOSTS``    regular expression for hosts the FTs must never touch, matched against
                           the whole host (``example\\.com`` does not match ``example.com.evil``)
``FT_EMAIL_ADDRESS``       the mailbox login emails go to; each test sends to its own ``+tag`` of it
``FT_POP3_HOST``, ``FT_POP3_PORT`` (110, or 995 with SSL), ``FT_POP3_SSL`` (0/1),
``FT_POP3_USER``, ``FT_POP3_PASSWORD``: how to read that mailbox
"""

import itertools
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

# Unique to this test run, so no email from an earlier run can ever match.
RUN_ID = secrets.token_hex(4)
_address_counter = itertools.count(1)


class MissingSetting(Exception):
    pass


@dataclass(frozen=True)
class Pop3Account:
    host: str
    port: int
    use_ssl: bool
    user: str
    password: str


@dataclass(frozen=True)
class TestServer:
    address: str
    environ: Mapping[str, str]

    @property
    def url(self) -> str:
        return f"http://{self.address}"

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
        use_ssl = self.environ.get("FT_POP3_SSL", "0") not in {"", "0", "false", "no"}
        return Pop3Account(
            host=self._require("FT_POP3_HOST"),
            port=int(self.environ.get("FT_POP3_PORT") or (995 if use_ssl else 110)),
            use_ssl=use_ssl,
            user=self._require("FT_POP3_USER"),
            password=self._require("FT_POP3_PASSWORD"),
        )

    def unique_email_address(self, name: str) -> str:
        """A new address in the test mailbox for each call: ``user+NAME-RUNID-N@domain``."""
        user, _, domain = self._require("FT_EMAIL_ADDRESS").partition("@")
        return f"{user}+{name}-{RUN_ID}-{next(_address_counter)}@{domain}"

    def _require(self, name: str) -> str:
        value = self.environ.get(name)
        if not value:
            raise MissingSetting(
                f"TEST_SERVER={self.address} needs {name} to be set "
                "(see src/functional_tests/target.py; the stand-in host's values are printed by "
                "`python -m infra.standin env`)."
            )
        return value


def test_server_from_environ(environ: Mapping[str, str] = os.environ) -> TestServer | None:
    address = environ.get("TEST_SERVER")
    return TestServer(address=address, environ=dict(environ)) if address else None

"""The stand-in's SMTP server (aiosmtpd): run as `python -m infra.standin.mail.smtp_server`.

It only accepts mail from the authenticated sending account, for our own mailboxes, and
delivers it into their Maildirs (read over POP3 by Dovecot). It listens on the mail host's
loopback address for this machine, and on this machine's end of each stand-in host's link for
the app's containers there. AUTH is offered without TLS: this is a stand-in reachable only from
this machine (loopback and the stand-in's own links), never a real mail server.
"""

import argparse
import asyncio
import hmac
import logging
import os
import pwd
import signal
import socket
import warnings
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from .. import config, credentials
from . import mailboxes

# Linux's IP_FREEBIND (Python 3.11's socket module lacks the name): lets us listen at the
# hosts' links before they exist (the mail server starts first; a host makes its link as it boots).
IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)

log = logging.getLogger("standin.smtp_server")


class Authenticator:
    """Accept exactly one login: the sending account with its generated password."""

    def __init__(self, login: str, password: str) -> None:
        self._login = login.encode()
        self._password = password.encode()

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        # Constant-time comparisons, so the reply time says nothing about the password.
        login_ok = hmac.compare_digest(data.login, self._login)
        password_ok = hmac.compare_digest(data.password, self._password)
        if login_ok and password_ok:
            return AuthResult(success=True)
        log.info("refused AUTH %s for %r", mechanism, data.login)
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535


class MaildirDelivery:
    """aiosmtpd handler: refuse unknown recipients (550), deliver the rest into Maildirs."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if mailboxes.mailbox_for(address) is None:
            log.info("refused recipient %s", address)
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        peer = str(session.peer[0]) if session.peer else "unknown"
        content = envelope.original_content or b""
        for recipient in envelope.rcpt_tos:
            mailboxes.deliver(recipient, content, peer)
            log.info("delivered mail from %s to %s", envelope.mail_from, recipient)
        return "250 Message accepted for delivery"


def listening_socket(address: str, port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
    listener.bind((address, port))
    listener.listen(64)
    listener.setblocking(False)
    return listener


def drop_privileges(user: str) -> None:
    """After binding port 587, run as the Maildirs' owner: no root needed to write mail."""
    account = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(account.pw_gid)
    os.setuid(account.pw_uid)


async def serve(listeners: list[socket.socket], password: str) -> None:
    loop = asyncio.get_running_loop()
    handler = MaildirDelivery()
    authenticator = Authenticator(config.SENDER_ACCOUNT, password)

    def smtp_session() -> SMTP:
        return SMTP(
            handler,
            hostname=config.MAIL_HOST,
            auth_required=True,
            # Loopback-only stand-in: AUTH PLAIN/LOGIN without TLS is acceptable here only.
            auth_require_tls=False,
            authenticator=authenticator,
        )

    servers = [await loop.create_server(smtp_session, sock=listener) for listener in listeners]
    stopping = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stopping.set)
    log.info("listening on %s", ", ".join(str(s.getsockname()) for s in listeners))
    await stopping.wait()
    for server in servers:
        server.close()
        await server.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", action="append", default=[], help="ADDRESS (repeatable)")
    parser.add_argument("--port", type=int, default=config.SMTP_PORT)
    parser.add_argument("--user", default=config.MAIL_SYSTEM_USER)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # aiosmtpd warns on every connection that AUTH without TLS is unsafe; we know (see the
    # module docstring) and aiosmtpd logs it once at start-up, which is enough.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    password = credentials.sender_password()
    listeners = [listening_socket(address, arguments.port) for address in arguments.listen]
    drop_privileges(arguments.user)
    asyncio.run(serve(listeners, password))


if __name__ == "__main__":
    main()

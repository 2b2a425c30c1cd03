"""The stand-in's mail service for superlists.test: SMTP in (smtp_server), POP3 out (dovecot),
into Maildirs owned by a system user."""

import os
import pwd
import smtplib
import sys
import urllib.error
import urllib.request

from .. import config, daemons, footprint
from ..commands import run
from ..daemons import Daemon
from . import dovecot, mailboxes

SMTP_PROGRAM = "infra.standin.mail.smtp_server"
ERROR_RECEIVER_PROGRAM = "infra.standin.mail.error_receiver"
MAILDIR_PARTS = ("cur", "new", "tmp")


def smtp_answers(address: str) -> bool:
    try:
        with smtplib.SMTP(address, config.SMTP_PORT, timeout=3) as smtp:
            return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


LISTEN_ARGUMENTS = tuple(
    argument for address in config.SMTP_LISTEN_ADDRESSES for argument in ("--listen", address)
)
SMTP_DAEMON = Daemon(
    name="smtp",
    description=(
        "SMTP on "
        + ", ".join(f"{address}:{config.SMTP_PORT}" for address in config.SMTP_LISTEN_ADDRESSES)
    ),
    command=(sys.executable, "-m", SMTP_PROGRAM, *LISTEN_ARGUMENTS),
    ready=lambda: smtp_answers(config.MAIL_HOST),
    program=SMTP_PROGRAM,
    cwd=config.REPO_ROOT,
    ready_timeout=15,
)


def error_receiver_answers() -> bool:
    try:
        with urllib.request.urlopen(config.ERROR_RECEIVER_URL + "/api/eventlist/", timeout=3):
            return True
    except (OSError, urllib.error.URLError):
        return False


ERROR_RECEIVER_DAEMON = Daemon(
    name="error-receiver",
    description=(
        "the error receiver (kent) on "
        + ", ".join(
            f"{address}:{config.ERROR_RECEIVER_PORT}"
            for address in config.ERROR_RECEIVER_LISTEN_ADDRESSES
        )
    ),
    command=(
        sys.executable, "-m", ERROR_RECEIVER_PROGRAM,
        *(argument for address in config.ERROR_RECEIVER_LISTEN_ADDRESSES
          for argument in ("--listen", address)),
    ),
    ready=error_receiver_answers,
    program=ERROR_RECEIVER_PROGRAM,
    cwd=config.REPO_ROOT,
    ready_timeout=15,
)  # fmt: skip
DAEMONS = (SMTP_DAEMON, dovecot.DAEMON, ERROR_RECEIVER_DAEMON)


def ensure_mail_user() -> str:
    """The system user that owns the Maildirs (Dovecot will not serve mail as root)."""
    try:
        pwd.getpwnam(config.MAIL_SYSTEM_USER)
        return "exists"
    except KeyError:
        run([
            "useradd", "--system", "--user-group", "--no-create-home",
            "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
            config.MAIL_SYSTEM_USER,
        ])  # fmt: skip
        footprint.record("user", config.MAIL_SYSTEM_USER)
        return "created"


def ensure_maildirs() -> None:
    vmail = pwd.getpwnam(config.MAIL_SYSTEM_USER)
    config.MAIL_ROOT.mkdir(mode=0o755, parents=True, exist_ok=True)
    for name in config.MAILBOXES:
        maildir = mailboxes.maildir_path(name)
        for directory in (maildir.parent, maildir, *(maildir / sub for sub in MAILDIR_PARTS)):
            directory.mkdir(mode=0o700, exist_ok=True)
            os.chown(directory, vmail.pw_uid, vmail.pw_gid)


def start() -> str:
    user = ensure_mail_user()
    ensure_maildirs()
    dovecot.prepare()
    started = [daemons.ensure_running(daemon) for daemon in DAEMONS]
    return f"{'; '.join(started)}; mail user {config.MAIL_SYSTEM_USER} {user}"


def remove_mail_user_if_created() -> None:
    if footprint.was_created("user", config.MAIL_SYSTEM_USER):
        run(["userdel", config.MAIL_SYSTEM_USER])
        footprint.forget("user", config.MAIL_SYSTEM_USER)

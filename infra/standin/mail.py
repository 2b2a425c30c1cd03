"""The stand-in's mail service for superlists.test: SMTP in (mailserver), POP3 out (dovecot)."""

import os
import pwd
import smtplib
import sys

from . import config, daemons, dovecot, footprint, mailboxes
from .commands import run
from .steps import say

SMTP_NAME = "smtp"
SMTP_PROGRAM = "infra.standin.mailserver"
MAILDIR_PARTS = ("cur", "new", "tmp")


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


def smtp_answers(address: str) -> bool:
    try:
        with smtplib.SMTP(address, config.SMTP_PORT, timeout=3) as smtp:
            return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def smtp_is_running() -> bool:
    pid = daemons.running_pid(SMTP_NAME, SMTP_PROGRAM)
    return pid is not None and smtp_answers(config.MAIL_HOST)


def start_smtp() -> str:
    if smtp_is_running():
        return f"SMTP already running (pid {daemons.running_pid(SMTP_NAME, SMTP_PROGRAM)})"
    if daemons.stop(SMTP_NAME, SMTP_PROGRAM):
        say("the SMTP server was alive but not answering: restarted it")
    listen = [arg for address in config.SMTP_LISTEN_ADDRESSES for arg in ("--listen", address)]
    pid = daemons.start(
        SMTP_NAME, [sys.executable, "-m", SMTP_PROGRAM, *listen], cwd=config.REPO_ROOT
    )
    daemons.wait_until_ready(
        pid,
        lambda: smtp_answers(config.MAIL_HOST),
        timeout=15,
        failure=lambda: (
            f"the SMTP server did not answer on {config.MAIL_HOST}:{config.SMTP_PORT}. "
            f"Its log ({config.log_file(SMTP_NAME)}) ends with:\n{daemons.log_tail(SMTP_NAME)}"
        ),
    )
    addresses = ", ".join(
        f"{address}:{config.SMTP_PORT}" for address in config.SMTP_LISTEN_ADDRESSES
    )
    return f"SMTP on {addresses} (pid {pid})"


def start() -> str:
    user = ensure_mail_user()
    ensure_maildirs()
    return f"{start_smtp()}; {dovecot.start()}; mail user {config.MAIL_SYSTEM_USER} {user}"


def stop() -> list[str]:
    stopped = []
    if daemons.stop(SMTP_NAME, SMTP_PROGRAM):
        stopped.append("SMTP")
    if dovecot.stop():
        stopped.append("POP3")
    return stopped


def remove_mail_user_if_created() -> None:
    if footprint.was_created("user", config.MAIL_SYSTEM_USER):
        run(["userdel", config.MAIL_SYSTEM_USER])
        footprint.forget("user", config.MAIL_SYSTEM_USER)

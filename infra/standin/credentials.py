"""Passwords generated once and kept in the state directory (mode 600), never in the repo."""

import os
import secrets
from pathlib import Path

from . import config


def password(path: Path) -> str:
    """The password stored at `path`, generating a random one the first time."""
    if not path.exists():
        config.SECRETS_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(24) + "\n")
    return path.read_text().strip()


def sender_password() -> str:
    return password(config.SENDER_PASSWORD_FILE)


def mailbox_password(mailbox: str) -> str:
    return password(config.MAILBOX_PASSWORD_FILES[mailbox])


def database_password() -> str:
    return password(config.DATABASE_PASSWORD_FILE)


def replication_password() -> str:
    return password(config.REPLICATION_PASSWORD_FILE)

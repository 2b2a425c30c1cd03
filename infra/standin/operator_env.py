"""The environment the operator and the tests need: `python -m infra.standin env` writes it, as
`export` lines, to ENV_FILE (mode 0600: it holds the mail passwords) and prints only the command
that loads it and the variables' names, so no secret reaches a terminal or a CI log."""

import os
import re
import shlex
from pathlib import Path

from . import config, credentials

ENV_FILE = config.SECRETS_DIR / "operator-env.sh"


def variables() -> dict[str, str]:
    return {
        # The operator's local Docker, where the playbook builds the image; each server's
        # engine is reached over SSH only, as on real servers.
        "DOCKER_HOST": config.DOCKER_HOST,
        "STAGING_HOST": config.STAGING_HOST,
        "PRODUCTION_HOST": config.PRODUCTION_HOST,
        "ANSIBLE_PYTHON_INTERPRETER": config.REMOTE_PYTHON,
        # As the app's container sees the mail server.
        "EMAIL_HOST": config.EMAIL_HOST_FOR_CONTAINERS,
        "EMAIL_PORT": str(config.SMTP_PORT),
        "EMAIL_HOST_USER": config.SENDER_ACCOUNT,
        "EMAIL_USE_TLS": "0",
        "EMAIL_PASSWORD": credentials.sender_password(),
        # Where the servers send their error reports: the stand-in's kent, as containers reach it.
        "SENTRY_DSN": config.SENTRY_DSN_FOR_CONTAINERS,
        # The multi-host topology's database roles (the deploy puts them on the hosts).
        "DATABASE_PASSWORD": credentials.database_password(),
        "DATABASE_REPLICATION_PASSWORD": credentials.replication_password(),
        # As the functional tests, on this machine, read the test mailbox.
        "FT_POP3_HOST": config.MAIL_HOST,
        "FT_POP3_PORT": str(config.POP3_PORT),
        "FT_POP3_SSL": "0",
        "FT_POP3_USER": config.TEST_MAILBOX,
        "FT_POP3_PASSWORD": credentials.mailbox_password(config.TEST_MAILBOX),
        "FT_EMAIL_ADDRESS": config.TEST_EMAIL_ADDRESS,
        # The servers' TLS proxies' CAs, trusted by the FTs' browser and by requests.
        "FT_CA_CERTS": str(config.CA_BUNDLE),
        "REQUESTS_CA_BUNDLE": str(config.CA_BUNDLE),
        # The fake production host: the FTs must refuse to touch it.
        "FT_PRODUCTION_HOSTS": re.escape(config.PRODUCTION_HOST),
    }


def export_lines(values: dict[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items())


def write_env_file(values: dict[str, str], path: Path = ENV_FILE) -> Path:
    """Write ``values`` as export lines to ``path``, readable by its owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older file made with another mode
    with os.fdopen(descriptor, "w") as file:
        file.write(export_lines(values))
    return path


def loading_lines(values: dict[str, str], path: Path) -> str:
    """What `env` prints: the names only, then the command that loads the values (for eval)."""
    return (
        f"# The stand-in's variables, their values (secrets among them) in {path}, mode 0600:\n"
        f"# {' '.join(values)}\n"
        f". {shlex.quote(str(path))}\n"
    )

"""The environment the operator and the tests need, printed by `python -m infra.standin env`."""

import re
import shlex

from . import config, credentials


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

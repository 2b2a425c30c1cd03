"""System checks that tell an operator, at start-up, what is wrong with a server's configuration."""

import logging
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Warning, register, run_checks

logger = logging.getLogger(__name__)

EMAIL_PASSWORD_MISSING = "superlists.W001"


@register(deploy=False)
def check_email_password(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Warning]:
    """In production, no EMAIL_PASSWORD means the SMTP server will refuse every login email."""
    if not settings.PRODUCTION or settings.EMAIL_HOST_PASSWORD:
        return []
    return [
        Warning(
            "EMAIL_PASSWORD is not set: the SMTP server will refuse to send login emails "
            f"(as {settings.EMAIL_HOST_USER} via {settings.EMAIL_HOST}).",
            hint="Set EMAIL_PASSWORD in the server's env file, e.g. by deploying with it "
            "exported in your shell.",
            id=EMAIL_PASSWORD_MISSING,
        )
    ]


def log_configuration_warnings() -> None:
    """Log the system checks' findings when a server process starts.

    ``manage.py`` commands print them, but gunicorn does not run the checks, so without this an
    operator would only learn of a missing EMAIL_PASSWORD from the first failed login email.
    """
    for message in run_checks():
        logger.warning("%s", message)

"""System checks that tell an operator, at start-up, what is wrong with a server's configuration."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

EMAIL_PASSWORD_MISSING = "superlists.W001"


@register(deploy=False)
def check_email_password(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
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

"""What a server says it is (``manage.py server_info``; the FTs ask it before touching a server)."""

from typing import Any

from django.conf import settings


def server_info() -> dict[str, Any]:
    """What this server says it is; read-only, so it exists on production servers too."""
    return {
        "production_mode": settings.PRODUCTION,
        "test_fixtures": settings.ENABLE_TEST_FIXTURES,
        "allowed_hosts": settings.ALLOWED_HOSTS,
    }

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def server_info() -> dict[str, Any]:
    """What this server says it is; read-only, so it exists on production servers too."""
    return {
        "production_mode": settings.PRODUCTION,
        "test_fixtures": settings.ENABLE_TEST_FIXTURES,
        "allowed_hosts": settings.ALLOWED_HOSTS,
    }


class Command(BaseCommand):
    help = "Print, as JSON, whether this server runs in production mode and allows test fixtures."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(server_info()))

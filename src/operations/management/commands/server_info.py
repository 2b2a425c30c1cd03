import json
from typing import Any

from django.core.management.base import BaseCommand

from operations.server_info import server_info


class Command(BaseCommand):
    help = "Print, as JSON, whether this server runs in production mode and allows test fixtures."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(server_info()))

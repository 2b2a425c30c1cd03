from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import flush

from operations.production_guard import BulkDeleteRefused, ensure_bulk_delete_allowed


class Command(flush.Command):
    """Django's ``flush``, refused wherever the data may be production's
    (operations.production_guard says how that is decided). An app's command of the same name
    takes precedence over Django's own."""

    def handle(self, **options: Any) -> None:
        try:
            ensure_bulk_delete_allowed("empty the database (flush)")
        except BulkDeleteRefused as refusal:
            raise CommandError(str(refusal)) from None
        super().handle(**options)

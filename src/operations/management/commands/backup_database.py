from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupDirectory, BackupFailed


class Command(BaseCommand):
    help = (
        "Make a consistent backup of the database while the site runs, into DJANGO_BACKUP_DIR, "
        "and delete backups older than --keep-days (the newest is always kept)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--keep-days", type=int, default=settings.BACKUP_KEEP_DAYS)

    def handle(self, *args: Any, keep_days: int, **options: Any) -> None:
        directory = BackupDirectory(settings.BACKUP_DIR)
        try:
            backup = directory.make()
        except BackupFailed as failed:
            raise CommandError(str(failed)) from None
        pruned = directory.prune(keep_days)
        self.stdout.write(
            f"Backed up the database to {backup.path}; "
            f"deleted {len(pruned)} backup(s) older than {keep_days} days."
        )

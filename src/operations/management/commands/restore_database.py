from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupDirectory, BackupFailed


class Command(BaseCommand):
    help = (
        "Replace the database with a backup from DJANGO_BACKUP_DIR (a file name, a path, or "
        "'latest': the newest daily or release backup, never a restore's safety copy, so "
        "repeating a restore of 'latest' is harmless). What was there is copied first, so a "
        "restore can be undone by restoring that copy by name."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", nargs="?", help="file name, path, or 'latest'")
        parser.add_argument(
            "--list", action="store_true", help="list the backups, then the safety copies"
        )

    def handle(self, *args: Any, backup: str | None, list: bool, **options: Any) -> None:
        directory = BackupDirectory(settings.BACKUP_DIR)
        if list:
            self.stdout.write("Backups (daily and before each release), oldest first:")
            for each in directory.backups():
                self.stdout.write(f"  {each.path.name}")
            self.stdout.write("Safety copies restores made of what they replaced (to undo one):")
            for each in directory.safety_copies():
                self.stdout.write(f"  {each.path.name}")
            return
        if backup is None:
            raise CommandError("Say which backup to restore: a file name, a path, or 'latest'.")
        try:
            chosen = directory.find(backup)
            before = directory.restore(chosen)
        except BackupFailed as failed:
            raise CommandError(str(failed)) from None
        self.stdout.write(
            f"Restored the database from {chosen.path}. What was there before is in "
            f"{before.path}: restore that to undo."
        )

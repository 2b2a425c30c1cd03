import tempfile
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import time_machine
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TransactionTestCase, override_settings

from accounts.models import User
from lists.models import List
from operations.backups import Backup, BackupDirectory, BackupFailed, PostgresEngine

NOON = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


class FakeEngine:
    suffix = ".sqlite3"

    def dump(self, destination: Path) -> None:
        destination.write_text("a backup")

    def load(self, source: Path) -> None:
        pass


class BrokenEngine(FakeEngine):
    def dump(self, destination: Path) -> None:
        destination.write_text("half a backup")
        raise BackupFailed("disk full")


def temporary_directory(test: SimpleTestCase) -> Path:
    directory = tempfile.TemporaryDirectory()
    test.addCleanup(directory.cleanup)
    return Path(directory.name)


class BackupDirectoryTest(SimpleTestCase):
    def setUp(self) -> None:
        self.directory = BackupDirectory(temporary_directory(self), FakeEngine())

    def test_names_a_backup_by_when_it_was_made(self) -> None:
        backup = self.directory.make(now=NOON)
        self.assertEqual(backup.path.name, "superlists-20261126T120000Z.sqlite3")
        self.assertEqual(Backup.at(backup.path), backup)
        self.assertEqual(backup.path.stat().st_mode & 0o777, 0o600)

    def test_a_failed_backup_leaves_no_file_behind(self) -> None:
        directory = BackupDirectory(self.directory.path, BrokenEngine())
        with self.assertRaisesRegex(BackupFailed, "disk full"):
            directory.make(now=NOON)
        self.assertEqual(list(self.directory.path.iterdir()), [])

    def test_prunes_backups_older_than_the_days_to_keep(self) -> None:
        made = [self.directory.make(now=NOON - timedelta(days=days)) for days in (10, 8, 6, 0)]
        pruned = self.directory.prune(keep_days=7, now=NOON)
        self.assertEqual(pruned, made[:2])
        self.assertEqual(self.directory.backups(), made[2:])

    def test_always_keeps_the_newest_backup_however_old(self) -> None:
        newest = self.directory.make(now=NOON - timedelta(days=30))
        self.assertEqual(self.directory.prune(keep_days=7, now=NOON), [])
        self.assertEqual(self.directory.backups(), [newest])

    def test_ignores_files_that_are_not_backups(self) -> None:
        (self.directory.path / "superlists-notes.sqlite3").write_text("")
        (self.directory.path / ".superlists-20261126T120000Z.sqlite3.partial").write_text("")
        self.assertEqual(self.directory.backups(), [])

    def test_latest_is_the_newest_backup(self) -> None:
        self.directory.make(now=NOON - timedelta(days=1))
        newest = self.directory.make(now=NOON)
        self.assertEqual(self.directory.find("latest"), newest)

    def test_latest_is_never_a_restores_safety_copy(self) -> None:
        scheduled = self.directory.make(now=NOON - timedelta(days=1))
        self.directory.restore(scheduled)  # makes a safety copy, now
        self.assertEqual(self.directory.find("latest"), scheduled)
        [safety_copy] = self.directory.safety_copies()
        self.assertIn("before-restore", safety_copy.path.name)
        self.assertEqual(self.directory.backups(), [scheduled])

    def test_safety_copies_are_pruned_too(self) -> None:
        old_backup = self.directory.make(now=NOON - timedelta(days=30))
        newest = self.directory.make(now=NOON - timedelta(days=20))
        old_copy = self.directory.make(now=NOON - timedelta(days=20), label="before-restore")
        self.assertEqual(self.directory.prune(keep_days=14, now=NOON), [old_backup, old_copy])
        self.assertEqual(self.directory.backups(), [newest])

    def test_finding_a_backup_that_is_not_there_says_so(self) -> None:
        with self.assertRaisesRegex(BackupFailed, "There are no backups in"):
            self.directory.find("latest")
        with self.assertRaisesRegex(BackupFailed, "No backup .*superlists-2020"):
            self.directory.find("superlists-20200101T000000Z.sqlite3")


class BackupAndRestoreTest(TransactionTestCase):
    """The real thing, on whichever database the suite runs on (SQLite, or PostgreSQL with
    pg_dump and pg_restore under scripts/test-postgres)."""

    def setUp(self) -> None:
        self.backup_dir = temporary_directory(self)
        settings = override_settings(BACKUP_DIR=self.backup_dir)
        settings.enable()
        self.addCleanup(settings.disable)

    def make_lists(self) -> dict[str, list[str]]:
        edith = User.objects.create(email="edith@example.com")
        for texts in (["Buy peacock feathers", "Make a fly"], ["Feed the cat"]):
            a_list = List.objects.create(owner=edith)
            for text in texts:
                a_list.item_set.create(text=text)
        return self.every_item()

    def every_item(self) -> dict[str, list[str]]:
        return {
            a_list.key: sorted(a_list.item_set.values_list("text", flat=True))
            for a_list in List.objects.all()
        }

    def test_backup_wipe_restore_brings_every_item_back(self) -> None:
        before = self.make_lists()
        call_command("backup_database", stdout=StringIO())
        List.objects.all().delete()
        User.objects.all().delete()
        self.assertEqual(self.every_item(), {})

        call_command("restore_database", "latest", stdout=StringIO())

        self.assertEqual(self.every_item(), before)
        self.assertEqual(User.objects.get().email, "edith@example.com")

    def test_a_restore_can_be_undone_from_the_backup_it_makes_first(self) -> None:
        before = self.make_lists()
        call_command("backup_database", stdout=StringIO())
        List.objects.first().item_set.create(text="Added after the backup")  # type: ignore[union-attr]
        after = self.every_item()
        call_command("restore_database", "latest", stdout=StringIO())
        self.assertEqual(self.every_item(), before)

        [undo] = BackupDirectory(self.backup_dir).safety_copies()
        call_command("restore_database", undo.path.name, stdout=StringIO())
        self.assertEqual(self.every_item(), after)

    def test_restoring_latest_twice_restores_the_same_backup(self) -> None:
        # The runbook's step repeated: the second restore must not bring the broken state back.
        before = self.make_lists()
        with time_machine.travel(NOON - timedelta(hours=1)):
            call_command("backup_database", stdout=StringIO())
        List.objects.all().delete()
        with time_machine.travel(NOON):  # its safety copy is newer than the backup
            call_command("restore_database", "latest", stdout=StringIO())
        with time_machine.travel(NOON + timedelta(minutes=1)):
            call_command("restore_database", "latest", stdout=StringIO())
        self.assertEqual(self.every_item(), before)

    def test_the_list_shows_safety_copies_apart(self) -> None:
        self.make_lists()
        call_command("backup_database", stdout=StringIO())
        call_command("restore_database", "latest", stdout=StringIO())
        listing = StringIO()
        call_command("restore_database", "--list", stdout=listing)
        backups, safety_copies = listing.getvalue().split("Safety copies")
        self.assertNotIn("before-restore", backups)
        self.assertIn("superlists-", backups)
        self.assertIn("before-restore", safety_copies)

    def test_restoring_nothing_in_particular_asks_which(self) -> None:
        with self.assertRaisesRegex(CommandError, "Say which backup to restore"):
            call_command("restore_database")


class PostgresEngineTest(SimpleTestCase):
    """pg_dump and pg_restore reach the database the app reaches (the real round trip runs
    under scripts/test-postgres)."""

    def test_a_multi_host_database_url_sends_pg_dump_to_the_primary(self) -> None:
        database = {
            "HOST": "10.88.20.46,10.88.20.50",
            "PORT": "",
            "USER": "superlists",
            "PASSWORD": "pw",
            "NAME": "superlists",
            "OPTIONS": {"target_session_attrs": "read-write", "connect_timeout": 2},
        }
        with mock.patch("operations.backups.connection") as connection:
            connection.settings_dict = database
            environment = PostgresEngine()._environment()
        self.assertEqual(environment["PGHOST"], "10.88.20.46,10.88.20.50")
        self.assertEqual(environment["PGTARGETSESSIONATTRS"], "read-write")
        self.assertEqual(environment["PGCONNECT_TIMEOUT"], "2")

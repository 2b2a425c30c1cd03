"""Consistent backups of the database while the site runs, and restoring one.

A backup is one file in the backup directory, named by when it was made
(``superlists-20261126T204300Z.sqlite3``, or ``.pgdump`` for PostgreSQL; the one a restore
makes first ends ``Z-before-restore.sqlite3``), written under a
temporary name and renamed when complete, so a half-written file never looks like a backup.
SQLite is copied with ``VACUUM INTO`` (a consistent snapshot, readers and writers carry on);
PostgreSQL with ``pg_dump``. Restoring first backs up what is there now, so a restore can be
undone too.

That safety copy is not a backup like the others: it holds the state someone is restoring *away
from*. So ``latest`` is the newest backup the schedule or a release made, never a safety copy,
and restoring ``latest`` twice restores the same backup twice (an operator who repeats the
runbook's step does no harm); the safety copies are listed apart, and restored by name.
"""

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from django.db import connection

PREFIX = "superlists-"
TIME_FORMAT = "%Y%m%dT%H%M%SZ"
STAMP_LENGTH = len("20261126T204300Z")
SAFETY_COPY_LABEL = "before-restore"


class BackupFailed(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path

    made_at: datetime

    @classmethod
    def at(cls, path: Path) -> "Backup | None":
        """The backup at ``path``, or None if its name is not one of ours."""
        stamp = path.name.removeprefix(PREFIX)[:STAMP_LENGTH]
        try:
            made_at = datetime.strptime(stamp, TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            return None
        return cls(path, made_at)

    @property
    def is_safety_copy(self) -> bool:
        """Made by a restore, of what it replaced."""
        label = self.path.name.removeprefix(PREFIX)[STAMP_LENGTH:]
        return label.startswith(f"-{SAFETY_COPY_LABEL}")


class Engine(Protocol):
    suffix: str

    def dump(self, destination: Path) -> None: ...

    def load(self, source: Path) -> None: ...


class SqliteEngine:
    suffix = ".sqlite3"

    def dump(self, destination: Path) -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(destination)])

    def load(self, source: Path) -> None:
        # SQLite's online backup API, from the backup file into the live database: page by
        # page under the database's lock, so other connections see the old or the new
        # database, never a mixture.
        connection.ensure_connection()
        live = connection.connection
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            backup.backup(live)


# Connection options DATABASE_URL may carry, as libpq's environment variables.
LIBPQ_OPTION_VARIABLES = {
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class PostgresEngine:
    suffix = ".pgdump"

    def _environment(self) -> dict[str, str]:
        # libpq's own variables: the password never appears on a command line.
        database = connection.settings_dict
        options = database.get("OPTIONS") or {}
        return {
            **os.environ,
            "PGHOST": str(database["HOST"] or ""),
            "PGPORT": str(database["PORT"] or ""),
            "PGUSER": str(database["USER"] or ""),
            "PGPASSWORD": str(database["PASSWORD"] or ""),
            "PGDATABASE": str(database["NAME"]),
            # With several hosts (DATABASE_URL after a failover), the primary, as the app
            # finds it: a restore into a read-only standby would fail, and a dead host must
            # not hold a backup up for the kernel's TCP timeout.
            **{
                variable: str(options[option])
                for option, variable in LIBPQ_OPTION_VARIABLES.items()
                if option in options
            },
        }

    def _run(self, command: list[str]) -> None:
        try:
            subprocess.run(
                command, env=self._environment(), check=True, capture_output=True, text=True
            )
        except FileNotFoundError:
            raise BackupFailed(
                f"{command[0]} is not installed here: install PostgreSQL's client tools "
                "(Debian: postgresql-client) where this command runs."
            ) from None
        except subprocess.CalledProcessError as failed:
            raise BackupFailed(f"{command[0]} failed: {failed.stderr.strip()}") from None

    def dump(self, destination: Path) -> None:
        self._run(["pg_dump", "--format=custom", "--file", str(destination)])

    def load(self, source: Path) -> None:
        database = str(connection.settings_dict["NAME"])
        self._run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
            + ["--dbname", database, str(source)]
        )


def current_engine() -> Engine:
    if connection.vendor == "sqlite":
        return SqliteEngine()
    if connection.vendor == "postgresql":
        return PostgresEngine()
    raise BackupFailed(f"No backup method for a {connection.vendor} database.")


class BackupDirectory:
    def __init__(self, path: Path, engine: Engine | None = None) -> None:
        self.path = path
        self.engine = engine or current_engine()

    def _every_backup(self) -> list[Backup]:
        paths = self.path.glob(f"{PREFIX}*{self.engine.suffix}")
        found = [backup for backup in map(Backup.at, paths) if backup is not None]
        return sorted(found, key=lambda backup: (backup.made_at, backup.path.name))

    def backups(self) -> list[Backup]:
        """The complete backups made by the schedule or a release, oldest first."""
        return [backup for backup in self._every_backup() if not backup.is_safety_copy]

    def safety_copies(self) -> list[Backup]:
        """The copies restores made of what they replaced, oldest first."""
        return [backup for backup in self._every_backup() if backup.is_safety_copy]

    def make(self, now: datetime | None = None, label: str = "") -> Backup:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.path.mkdir(parents=True, exist_ok=True)
        stem = f"{PREFIX}{now.strftime(TIME_FORMAT)}{label and '-' + label}"
        final = self.path / f"{stem}{self.engine.suffix}"
        copies = 1
        while final.exists():  # more than one in a second
            copies += 1
            final = self.path / f"{stem}-{copies}{self.engine.suffix}"
        partial = final.with_name(f".{final.name}.partial")
        partial.unlink(missing_ok=True)
        try:
            self.engine.dump(partial)
            partial.chmod(0o600)  # it holds every user's data
            partial.rename(final)
        finally:
            partial.unlink(missing_ok=True)
        return Backup(final, now)

    def prune(self, keep_days: int, now: datetime | None = None) -> list[Backup]:
        """Delete backups and safety copies older than ``keep_days``; the newest backup is
        always kept."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
        candidates = self.backups()[:-1] + self.safety_copies()
        old = [backup for backup in candidates if backup.made_at < cutoff]
        for backup in old:
            backup.path.unlink()
        return old

    def find(self, name: str) -> Backup:
        """A backup by file name or path, or "latest": the newest that is not a safety copy."""
        if name == "latest":
            backups = self.backups()
            if not backups:
                raise BackupFailed(f"There are no backups in {self.path} (safety copies aside).")
            return backups[-1]
        path = Path(name) if "/" in name else self.path / name
        backup = Backup.at(path) if path.is_file() else None
        if backup is None:
            raise BackupFailed(f"No backup {path}: see `manage.py restore_database --list`.")
        return backup

    def restore(self, backup: Backup) -> Backup:
        """Put ``backup`` in place of the database; return the backup of what was there."""
        before = self.make(label=SAFETY_COPY_LABEL)
        self.engine.load(backup.path)
        return before

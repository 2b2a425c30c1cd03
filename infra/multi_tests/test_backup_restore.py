"""A PostgreSQL backup (pg_dump, as the app makes one before each release and daily) restored
onto a fresh database host: every item is there."""

import re
import secrets
import shlex
import subprocess
import unittest

from infra.staging_tests.remote import start_list
from infra.standin import config, topology
from infra.standin.isolated_host import IsolatedHost

from .database import PRIMARY
from .hosts import APP_DIR, POSTGRESQL_BIN, PSQL, as_postgres, on

APP = topology.GROUPS["app"][0]
SITE = f"https://{topology.GROUPS['lb'][0].address}"
# A db host that has never had PostgreSQL: the stand-in's next free link.
FRESH = IsolatedHost("db3", index=13, routes=(config.ISOLATED_HOSTS_SUBNET,))
# The role's backup_dir, for container_name superlists.
BACKUPS_ON_THE_HOST = f"{APP_DIR}/backups"

RESTORE_ON_A_FRESH_HOST = f"""\
set -e
install -d -o postgres -g postgres -m 0700 /srv/postgresql
install -d -o postgres -g postgres -m 2775 /run/postgresql
runuser -u postgres -- {POSTGRESQL_BIN}/initdb --pgdata=/srv/postgresql/main \\
    --auth-local=peer >/dev/null
runuser -u postgres -- {POSTGRESQL_BIN}/pg_ctl start --wait --pgdata=/srv/postgresql/main \\
    --log=/srv/postgresql/log >/dev/null
export PGHOST=/run/postgresql
runuser -u postgres -- {PSQL} -q -c 'CREATE ROLE superlists LOGIN'
runuser -u postgres -- {PSQL} -q -c 'CREATE DATABASE superlists OWNER superlists'
runuser -u postgres -- {POSTGRESQL_BIN}/pg_restore --no-owner --role=superlists \\
    --dbname=superlists /srv/backup.pgdump
"""


class BackupRestoreTest(unittest.TestCase):
    def test_a_backup_restores_onto_a_fresh_database_host(self) -> None:
        item = f"Backed up {secrets.token_hex(4)}"
        start_list(SITE, item)
        made = on(APP, "docker exec superlists python manage.py backup_database")
        match = re.search(r"Backed up the database to \S*/(\S+\.pgdump);", made)
        assert match, made
        dump = subprocess.run(
            APP.ssh(f"cat {shlex.quote(f'{BACKUPS_ON_THE_HOST}/{match.group(1)}')}"),
            capture_output=True,
            check=True,
        ).stdout

        FRESH.remove()  # what an interrupted run left
        self.addCleanup(FRESH.remove)
        FRESH.start()
        subprocess.run(
            FRESH.ssh("cat > /srv/backup.pgdump && chown postgres /srv/backup.pgdump"),
            input=dump,
            check=True,
        )
        on(FRESH, "sh -s", input=RESTORE_ON_A_FRESH_HOST, timeout=120)

        count = "SELECT count(*) FROM lists_item"
        self.assertEqual(
            as_postgres(FRESH, count, "superlists"), as_postgres(PRIMARY, count, "superlists")
        )
        with_item = f"SELECT count(*) FROM lists_item WHERE text = '{item}'"
        self.assertEqual(as_postgres(FRESH, with_item, "superlists"), "1")


if __name__ == "__main__":
    unittest.main()

"""The rejoin playbook refuses to rebuild the inventory's primary, or anything without the
database passwords, before touching any host (a real ansible-playbook run, on this machine: it
stops at its first check). The rejoin itself runs on the multi-host stand-in
(infra.multi_tests.test_database_failover)."""

import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from infra.tests.test_deploy_files import ANSIBLE_PLAYBOOK, REPO_ROOT

REJOIN_PLAYBOOK = REPO_ROOT / "infra" / "rejoin-playbook.yaml"
INVENTORY = """\
all:
  vars: {ansible_connection: local, ansible_python_interpreter: auto_silent}
  children:
    db: {hosts: {db1: {}, db2: {}}}
"""


FAILOVER_PLAYBOOK = REPO_ROOT / "infra" / "failover-playbook.yaml"


def run(playbook: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as directory:
        inventory = Path(directory) / "inventory.yaml"
        inventory.write_text(INVENTORY)
        return subprocess.run(
            [ANSIBLE_PLAYBOOK, "-i", inventory, playbook, *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                name: value
                for name, value in os.environ.items()
                if name not in {"DATABASE_PASSWORD", "DATABASE_REPLICATION_PASSWORD"}
            },
        )


class RejoinRefusalTest(unittest.TestCase):
    def test_the_primary_is_not_rebuilt_as_a_standby(self) -> None:
        result = run(REJOIN_PLAYBOOK, "-e", "rejoin=db1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(
            "db1 must be in the db group and not first in it (the first is the primary, db1)",
            result.stdout,
        )
        self.assertNotIn("Stop PostgreSQL here", result.stdout)
        self.assertNotIn("Clone it again", result.stdout)

    def test_a_standby_is_not_set_aside_without_the_passwords_its_clone_needs(self) -> None:
        result = run(REJOIN_PLAYBOOK, "-e", "rejoin=db2")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Export DATABASE_PASSWORD", result.stdout)
        self.assertNotIn("Stop PostgreSQL here", result.stdout)

    def test_without_a_host_named_each_db_playbook_says_how_to_name_one(self) -> None:
        for playbook, message in [
            (REJOIN_PLAYBOOK, "Name the db host to rebuild: -e rejoin=db1"),
            (FAILOVER_PLAYBOOK, "Name the standby to promote: -e promote=db2"),
        ]:
            with self.subTest(playbook=playbook.name):
                result = run(playbook)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(message, result.stdout + result.stderr)

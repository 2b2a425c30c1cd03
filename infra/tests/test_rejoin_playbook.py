"""The rejoin playbook refuses to rebuild the inventory's primary, before touching any host (a
real ansible-playbook run, on this machine: it stops at its first check). The rejoin itself runs
on the multi-host stand-in (infra.multi_tests.test_database_failover)."""

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


class RejoinRefusalTest(unittest.TestCase):
    def test_the_primary_is_not_rebuilt_as_a_standby(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            inventory = Path(directory) / "inventory.yaml"
            inventory.write_text(INVENTORY)
            result = subprocess.run(
                [ANSIBLE_PLAYBOOK, "-i", inventory, REJOIN_PLAYBOOK, "-e", "rejoin=db1"],
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(
            "db1 must be in the db group and not first in it (the first is the primary, db1)",
            result.stdout,
        )
        self.assertNotIn("Stop PostgreSQL here", result.stdout)
        self.assertNotIn("Clone it again", result.stdout)

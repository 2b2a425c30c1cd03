"""scripts/release refuses, before any host is contacted, what it cannot release safely: a
missing inventory, and one inventory holding staging beside a production of several hosts. (Its
releases run on the stand-ins: infra.staging_tests.test_operator_deploy, one inventory for both,
and infra.multi_tests.test_rolling_release, an inventory for each.)"""

import subprocess
import tempfile
import unittest
from pathlib import Path

from infra.tests.test_deploy_files import REPO_ROOT

RELEASE = REPO_ROOT / "scripts" / "release"
STAGING_BESIDE_MULTI_HOST_PRODUCTION = """\
all:
  children:
    staging: {hosts: {staging.example.com: {}}}
    production:
      children:
        lb: {hosts: {lb1.example.com: {}}}
        app: {hosts: {app1.example.com: {}, app2.example.com: {}}}
        db: {hosts: {db1.example.com: {}}}
"""


def release(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RELEASE, *arguments], capture_output=True, text=True, timeout=300, cwd=REPO_ROOT
    )


class ReleaseRefusalTest(unittest.TestCase):
    def test_one_inventory_for_staging_and_a_multi_host_production_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            inventory = Path(directory) / "inventory.yaml"
            inventory.write_text(STAGING_BESIDE_MULTI_HOST_PRODUCTION)
            refused = release(inventory, "--rollback")
        self.assertEqual(refused.returncode, 1)
        self.assertIn(
            f"error: {inventory} has the groups app db lb: staging cannot share an inventory "
            "with a production of several hosts",
            refused.stderr,
        )
        self.assertIn("scripts/release STAGING_INVENTORY PRODUCTION_INVENTORY", refused.stderr)
        self.assertNotIn("PLAY", refused.stdout)

    def test_a_missing_inventory_is_named(self) -> None:
        missing = REPO_ROOT / "infra" / "inventory.missing.yaml"
        refused = release(REPO_ROOT / "infra" / "inventory.standin.yaml", missing, "--rollback")
        self.assertEqual(refused.returncode, 1)
        self.assertIn(f"error: No inventory file {missing}.", refused.stderr)

    def test_without_an_inventory_it_says_how_to_call_it(self) -> None:
        refused = release()
        self.assertEqual(refused.returncode, 1)
        self.assertIn("usage: scripts/release INVENTORY | STAGING_INVENTORY", refused.stderr)

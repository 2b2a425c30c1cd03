"""`down` removes what the deploys made on the stand-in hosts, and its final check names what
is left (infra/standin/deployed.py)."""

import dataclasses
import tempfile
import unittest
from pathlib import Path

from infra.standin import config, deployed


class DeployedFilesTest(unittest.TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        root = Path(directory.name)
        self.servers = [
            dataclasses.replace(
                server,
                app_dir=root / "srv" / server.container_name,
                cron_file=root / "cron.d" / f"superlists-{server.container_name}",
            )
            for server in config.SERVERS
        ]
        for server in self.servers:
            (server.app_dir / "backups").mkdir(parents=True)
            (server.app_dir / "superlists.env").write_text("EMAIL_PASSWORD=secret\n")
            server.cron_file.parent.mkdir(exist_ok=True)
            server.cron_file.write_text("17 3 * * * root docker exec …\n")

    def test_down_removes_the_cron_files_and_keeps_the_app_directories(self) -> None:
        deployed.remove(self.servers, purge=False)
        self.assertEqual(deployed.left(self.servers, purged=False), [])
        self.assertEqual(deployed.kept(self.servers), [str(s.app_dir) for s in self.servers])

    def test_down_purge_removes_the_app_directories_too(self) -> None:
        removed = deployed.remove(self.servers, purge=True)
        self.assertEqual(len(removed), 2 * len(self.servers))
        self.assertEqual(deployed.left(self.servers, purged=True), [])
        self.assertFalse(any(server.app_dir.exists() for server in self.servers))

    def test_the_final_check_names_what_is_still_there(self) -> None:
        left = deployed.left(self.servers, purged=True)
        for server in self.servers:
            self.assertIn(f"cron file {server.cron_file} (deployed to {server.name})", left)
            self.assertIn(f"directory {server.app_dir} (deployed to {server.name})", left)

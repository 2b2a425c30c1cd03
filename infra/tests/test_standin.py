"""Fast tests of the stand-in staging host's logic (no host needed).

Its integration tests are in infra/staging_tests/test_standin_host.py.
"""

import tempfile
import unittest
from pathlib import Path
from unittest import mock

from infra.standin import (
    config,
    mailboxes,
    operator_env,
    ssh_client_config,
)


class PlusAddressingTest(unittest.TestCase):
    def test_plain_address_belongs_to_its_mailbox(self) -> None:
        self.assertEqual(mailboxes.mailbox_for("tester@superlists.test"), "tester")

    def test_plus_address_belongs_to_the_part_before_the_plus(self) -> None:
        self.assertEqual(mailboxes.mailbox_for("tester+login-3f9a@superlists.test"), "tester")
        self.assertEqual(mailboxes.mailbox_for("<Tester+x@SUPERLISTS.test>"), "tester")

    def test_unknown_mailbox_or_other_domain_is_not_ours(self) -> None:
        self.assertIsNone(mailboxes.mailbox_for("edith@superlists.test"))
        self.assertIsNone(mailboxes.mailbox_for("tester@example.com"))
        self.assertIsNone(mailboxes.mailbox_for("tester"))

    def test_delivery_headers_name_the_exact_envelope_recipient(self) -> None:
        headers = mailboxes.delivery_headers("tester+abc@superlists.test", "10.88.0.2")
        self.assertTrue(headers.startswith(b"Delivered-To: tester+abc@superlists.test\n"))
        self.assertIn(b"for <tester+abc@superlists.test>", headers)


class SshClientConfigBlockTest(unittest.TestCase):
    ORIGINAL = "ServerAliveInterval 60\n\nHost example\n    User edith\n"

    def setUp(self) -> None:
        # Keep the record of created files in a temporary directory, not the stand-in's state.
        markers = tempfile.TemporaryDirectory()
        self.addCleanup(markers.cleanup)
        patcher = mock.patch.object(config, "CREATED_MARKERS_DIR", Path(markers.name))
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_insert_then_remove_gives_back_the_file_byte_for_byte(self) -> None:
        with_block = ssh_client_config.with_block(self.ORIGINAL)
        self.assertTrue(with_block.startswith(ssh_client_config.BEGIN))
        self.assertTrue(with_block.endswith(self.ORIGINAL))
        self.assertEqual(ssh_client_config.without_block(with_block), self.ORIGINAL)

    def test_inserting_twice_keeps_one_block(self) -> None:
        twice = ssh_client_config.with_block(ssh_client_config.with_block(self.ORIGINAL))
        self.assertEqual(twice.count(ssh_client_config.BEGIN), 1)

    def test_block_gives_global_lines_after_it_back_to_every_host(self) -> None:
        block_lines = ssh_client_config.block().splitlines()
        self.assertEqual(block_lines[1], f"Host {' '.join(config.SSH_HOSTS)}")
        self.assertEqual(block_lines[-2], "Host *")

    def test_install_and_remove_on_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "config"
            path.write_text(self.ORIGINAL)
            ssh_client_config.install(path)
            self.assertIn(f"IdentityFile {config.OPERATOR_KEY}", path.read_text())
            ssh_client_config.remove(path)
            self.assertEqual(path.read_text(), self.ORIGINAL)

    def test_a_file_the_block_created_is_removed_with_it(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "config"
            ssh_client_config.install(path)
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)
            ssh_client_config.remove(path)
            self.assertFalse(path.exists())


class EnvExportTest(unittest.TestCase):
    def test_values_are_shell_quoted(self) -> None:
        lines = operator_env.export_lines({"A": "plain", "B": "it's spaced"})
        self.assertEqual(lines, "export A=plain\nexport B='it'\"'\"'s spaced'\n")


class MissingPackagesTest(unittest.TestCase):
    def test_a_docker_client_is_installed_only_when_there_is_none(self) -> None:
        from infra.standin import packages

        which = "infra.standin.packages.shutil.which"
        with mock.patch(which, return_value=None):
            self.assertIn(packages.DOCKER_CLIENT_PACKAGE, packages.missing_packages())
        with mock.patch(which, return_value="/usr/local/bin/docker"):
            self.assertNotIn(packages.DOCKER_CLIENT_PACKAGE, packages.missing_packages())


if __name__ == "__main__":
    unittest.main()

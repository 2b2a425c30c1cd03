"""The decisions the role asks the server to make (infra/roles/superlists/files/releases.py):
which image may be released, where a rollback goes, which images are kept. Run here as the
server runs them: the same file, on a directory laid out as the server's app_dir."""

import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from infra.tests.role_templates import TEMPLATES

RELEASES = TEMPLATES.parent / "files" / "releases.py"
A, B, C, D = (f"sha256:{letter * 64}" for letter in "abcd")


class ServerDirectory:
    """An app_dir with the files releases.py reads, and a way to run it there."""

    def __init__(self, test: unittest.TestCase) -> None:
        directory = tempfile.TemporaryDirectory()
        test.addCleanup(directory.cleanup)
        self.path = Path(directory.name)

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text)

    def read(self, name: str) -> str:
        return (self.path / name).read_text()

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(RELEASES), str(self.path), *arguments],
            capture_output=True,
            text=True,
            timeout=30,
        )

    def released(self, image: str, *options: str) -> None:
        assert self.run("record", image, *options).returncode == 0


class StagingGateTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = ServerDirectory(self)

    def test_an_ungated_server_takes_any_image(self) -> None:
        self.assertEqual(self.server.run("check", A).returncode, 0)

    def test_a_gated_server_refuses_an_image_staging_has_not_passed(self) -> None:
        self.server.run("gate")
        self.server.run("passed", B, "abc1234")
        refused = self.server.run("check", A)
        self.assertEqual(refused.returncode, 1)
        self.assertIn(f"Refusing to deploy {A}: it has not passed the FT suite", refused.stderr)
        self.assertIn("--force-unverified", refused.stderr)
        self.assertEqual(self.server.run("check", B).returncode, 0)

    def test_turning_the_gate_on_twice_changes_nothing_the_second_time(self) -> None:
        self.assertEqual(self.server.run("gate").stdout, "changed\n")
        self.assertEqual(self.server.run("gate").stdout, "")

    def test_an_override_needs_a_reason_and_the_log_keeps_it(self) -> None:
        self.server.run("gate")
        self.assertEqual(self.server.run("check", A, "--force-unverified", "  ").returncode, 1)
        forced = self.server.run("check", A, "--force-unverified", "hotfix for #99")
        self.assertEqual(forced.returncode, 0)
        self.assertIn("OVERRIDE", forced.stdout)
        self.server.released(A, "--force-unverified", "hotfix for #99")
        self.assertRegex(
            self.server.read("releases.log"), rf"^{A} \S+Z forced-unverified: hotfix for #99\n$"
        )

    def test_the_passed_record_is_written_once_per_image(self) -> None:
        self.server.run("passed", A, "abc1234")
        self.server.run("passed", A, "abc1234")
        self.assertRegex(self.server.read("passed-staging"), rf"^{A} \S+Z abc1234\n$")


class RollbackTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = ServerDirectory(self)

    def rollback_target(self) -> str:
        result = self.server.run("rollback-target")
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def roll_back(self) -> str:
        target = self.rollback_target()
        self.server.released(target, "--rollback")
        return target

    def test_goes_to_the_release_before_the_live_one(self) -> None:
        for image in [A, B, C]:
            self.server.released(image)
        self.assertEqual(self.roll_back(), B)

    def test_a_second_rollback_goes_further_back_never_forward(self) -> None:
        for image in [A, B, C]:
            self.server.released(image)
        self.assertEqual(self.roll_back(), B)
        self.assertEqual(self.roll_back(), A)
        refused = self.server.run("rollback-target")
        self.assertEqual(refused.returncode, 1)
        self.assertIn("No earlier release to roll back to", refused.stderr)

    def test_a_release_after_a_rollback_starts_a_new_history(self) -> None:
        for image in [A, B, C]:
            self.server.released(image)
        self.roll_back()  # to B
        self.server.released(D)
        self.assertEqual(self.roll_back(), B)
        self.assertEqual(self.roll_back(), A)

    def test_a_gated_server_goes_back_to_the_last_release_that_passed(self) -> None:
        self.server.run("gate")
        for image in [A, C]:
            self.server.run("passed", image)
        self.server.released(A)
        self.server.released(B, "--force-unverified", "hotfix")
        self.server.released(C)
        self.assertEqual(self.roll_back(), A)  # B never passed staging

    def test_the_log_of_older_deploys_is_read_too(self) -> None:
        self.server.write(
            "releases.log",
            f"{A} 2026-12-01T00:00:00Z\n{B} 2026-12-02T00:00:00Z\n"
            f"{A} 2026-12-03T00:00:00Z rollback\n",
        )
        refused = self.server.run("rollback-target")
        self.assertEqual(refused.returncode, 1, refused.stdout)

    def test_nothing_released_yet(self) -> None:
        self.assertEqual(self.server.run("rollback-target").returncode, 1)


class ImagesKeptTest(unittest.TestCase):
    def test_the_last_releases_on_the_way_back(self) -> None:
        server = ServerDirectory(self)
        for image in [A, B, C, D]:
            server.released(image)
        server.released(C, "--rollback")
        self.assertEqual(server.run("keep", "3").stdout.split(), [C, B, A])

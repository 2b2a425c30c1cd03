import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import TestCase

from functional_tests.process_end import close_at_exit


class Marker:
    """A resource whose closing leaves a line in a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def close(self) -> None:
        with open(self.path, "a") as file:
            file.write("closed\n")


def make_a_marker_in_a_worker(path: str) -> None:
    marker = Marker(path)
    close_at_exit(marker)
    close_at_exit(marker)  # asked twice: closed once


class CloseAtExitTest(TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.path = Path(directory.name) / "closed"

    def run_python(self, program: str) -> None:
        # In a process of its own: this test may itself run in a --parallel run's worker, which
        # may not start processes of its own through multiprocessing
        prelude = (
            "import multiprocessing\n"
            "from functional_tests.process_end import close_at_exit\n"
            "from functional_tests.tests.test_process_end import (\n"
            "    Marker, make_a_marker_in_a_worker)\n"
        )
        subprocess.run([sys.executable, "-c", prelude + program], check=True, timeout=30)

    def test_a_process_closes_what_it_made_as_it_exits(self) -> None:
        self.run_python(f"close_at_exit(Marker({str(self.path)!r}))\n")
        self.assertEqual(self.path.read_text(), "closed\n")

    def test_a_worker_of_a_parallel_run_closes_what_it_made_as_it_exits(self) -> None:
        # As Django's parallel runner uses its workers: a forked pool, closed and joined
        self.run_python(
            'with multiprocessing.get_context("fork").Pool(1) as pool:\n'
            f"    pool.apply(make_a_marker_in_a_worker, ({str(self.path)!r},))\n"
            "    pool.close()\n"
            "    pool.join()\n"
        )
        self.assertEqual(self.path.read_text(), "closed\n")

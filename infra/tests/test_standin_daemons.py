"""The stand-in's one routine for its daemons, tried on a small real daemon (no host needed)."""

import os
import sys
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

from infra.standin import config, daemons, processes
from infra.standin.daemons import Daemon
from infra.standin.processes import Process
from infra.standin.steps import StepFailed

# A daemon that starts a child of its own (as sshd does for its sessions), then says it is
# ready by creating a file, and runs until stopped.
DAEMON_PROGRAM = """\
import pathlib, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
pathlib.Path(sys.argv[1]).touch()
time.sleep(300)
"""


class DaemonRoutineTest(unittest.TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)
        for name, value in [
            ("RUNTIME_DIR", self.directory),
            ("LOG_DIR", self.directory / "logs"),
            # Not the stand-in's own marker: `down` would take these daemons for its own.
            ("PROCESS_MARKER", "SUPERLISTS_STANDIN_UNIT_TEST"),
        ]:
            patcher = mock.patch.object(config, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.ready_file = self.directory / "ready"
        self.config_file = self.directory / "test.conf"
        self.config_file.write_text("version 1\n")
        self.daemon = self.make_daemon(DAEMON_PROGRAM)
        self.addCleanup(daemons.stop, self.daemon)

    def make_daemon(self, program: str, ready_timeout: float = 10) -> Daemon:
        return Daemon(
            name="test-daemon",
            description="the test daemon",
            command=(sys.executable, "-c", program, str(self.ready_file), "test-daemon-marker"),
            ready=self.ready_file.exists,
            program="test-daemon-marker",
            environment={"TEST_DAEMON_SETTING": "on"},
            config_files=(self.config_file,),
            ready_timeout=ready_timeout,
        )

    def test_starts_once_then_finds_it_running(self) -> None:
        started = daemons.ensure_running(self.daemon)
        pid = daemons.running_pid(self.daemon)
        self.assertEqual(started, f"the test daemon: started (pid {pid})")
        self.assertTrue(daemons.is_running(self.daemon))
        again = daemons.ensure_running(self.daemon)
        self.assertEqual(again, f"the test daemon: already running (pid {pid})")

    def test_runs_with_its_environment_and_the_stand_in_marker(self) -> None:
        daemons.ensure_running(self.daemon)
        pid = daemons.running_pid(self.daemon)
        assert pid is not None
        environment = processes.environment(pid)
        self.assertEqual(environment["TEST_DAEMON_SETTING"], "on")
        self.assertEqual(environment[config.PROCESS_MARKER], "test-daemon")

    def test_restarts_when_its_configuration_changed(self) -> None:
        daemons.ensure_running(self.daemon)
        first_pid = daemons.running_pid(self.daemon)
        self.config_file.write_text("version 2\n")
        self.ready_file.unlink()
        daemons.ensure_running(self.daemon)
        self.assertNotEqual(daemons.running_pid(self.daemon), first_pid)
        assert first_pid is not None
        self.assertFalse(processes.is_alive(first_pid))

    def test_stop_ends_the_daemon_and_every_process_it_started(self) -> None:
        daemons.ensure_running(self.daemon)
        pid = daemons.running_pid(self.daemon)
        assert pid is not None
        children = processes.descendants([pid], processes.all_processes())
        self.assertEqual(len(children), 1)

        self.assertTrue(daemons.stop(self.daemon))

        for each in [pid, *children]:
            self.assertFalse(processes.is_alive(each), f"{each} is still alive")
        self.assertIsNone(daemons.running_pid(self.daemon))
        self.assertFalse(daemons.stop(self.daemon))

    def test_a_pid_file_naming_another_program_is_not_the_daemon(self) -> None:
        config.pid_file(self.daemon.name).parent.mkdir(parents=True, exist_ok=True)
        config.pid_file(self.daemon.name).write_text(f"{os.getpid()}\n")  # this test runner
        self.assertIsNone(daemons.running_pid(self.daemon))
        self.assertFalse(daemons.stop(self.daemon))

    def test_a_daemon_that_exits_at_once_fails_with_its_log(self) -> None:
        crashing = self.make_daemon("import sys; print('no such setting: frobnicate'); sys.exit(3)")
        with self.assertRaisesRegex(StepFailed, "the test daemon exited(.|\n)*frobnicate"):
            daemons.ensure_running(crashing)

    def test_a_daemon_that_never_answers_is_stopped_and_fails(self) -> None:
        silent = self.make_daemon("import time; time.sleep(300)", ready_timeout=0.5)
        started = time.monotonic()
        with self.assertRaisesRegex(StepFailed, "did not answer within"):
            daemons.ensure_running(silent)
        self.assertLess(time.monotonic() - started, 10)
        self.assertIsNone(daemons.running_pid(silent))


class ProcessTreeTest(unittest.TestCase):
    def test_descendants_are_children_and_their_children(self) -> None:
        table = [
            Process(pid=10, parent=1, command_line="daemon", executable="d"),
            Process(pid=11, parent=10, command_line="child", executable="c"),
            Process(pid=12, parent=11, command_line="grandchild", executable="g"),
            Process(pid=20, parent=1, command_line="unrelated", executable="u"),
        ]
        self.assertEqual(processes.descendants([10], table), {11, 12})
        self.assertEqual(processes.descendants([20], table), set())

    def test_this_process_is_among_its_own_ancestors(self) -> None:
        ancestors = processes.ancestors(os.getpid())
        self.assertIn(os.getpid(), ancestors)
        self.assertIn(os.getppid(), ancestors)


if __name__ == "__main__":
    unittest.main()

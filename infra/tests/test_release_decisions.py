"""The decisions the role asks the server to make (infra/roles/superlists/files/releases.py):
which image may be released, what to release and into which slot, when the old slot is
drained, where a rollback goes, which images are kept. Each decision as a plain function over
plain data; and the command line run here as the server runs it: the same file, on a directory
laid out as the server's app_dir."""

import json
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.tests.role_templates import REPO_ROOT, TEMPLATES, role_file_module

RELEASES = TEMPLATES.parent / "files" / "releases.py"
A, B, C, D = (f"sha256:{letter * 64}" for letter in "abcd")
SLOTS = (8001, 8002)


releases = role_file_module("releases.py")


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


class LiveReleaseTest(unittest.TestCase):
    """What `docker container inspect` says about the live release and the proxy."""

    def test_a_release_in_a_slot(self) -> None:
        live = releases.live_from_inspect([A, "true", "8002"])
        self.assertEqual(live, releases.Live(A, True, 8002))

    def test_a_release_from_before_the_slots_publishes_no_app_port(self) -> None:
        self.assertEqual(releases.live_from_inspect([A, "false"]), releases.Live(A, False, 0))

    def test_no_live_container(self) -> None:
        self.assertIsNone(releases.live_from_inspect([]))
        self.assertIsNone(releases.proxy_from_inspect([]))

    def test_the_proxy(self) -> None:
        self.assertEqual(
            releases.proxy_from_inspect(["true", "docker.io/library/caddy:2.6"]),
            {"running": True, "image": "docker.io/library/caddy:2.6"},
        )

    def test_the_live_release_goes_through_the_play_unchanged(self) -> None:
        live = releases.Live(A, True, 8001)
        state = json.dumps(releases.asdict(live))
        self.assertEqual(releases.live_from_json(state), live)
        self.assertIsNone(releases.live_from_json("null"))


class ReleasePlanTest(unittest.TestCase):
    def plan(self, live: Any, image: str = B, changed: bool = False) -> Any:
        return releases.plan_release(image, live, SLOTS, changed)

    def test_a_first_release_starts_in_the_first_slot(self) -> None:
        plan = self.plan(None)
        self.assertTrue(plan.release_needed)
        self.assertEqual(plan.next_port, 8001)
        self.assertFalse(plan.live_exists or plan.hand_over or plan.stop_unproxied)
        self.assertEqual(plan.live_image, "")

    def test_the_new_release_starts_in_the_slot_the_live_one_is_not_in(self) -> None:
        self.assertEqual(self.plan(releases.Live(A, True, 8001)).next_port, 8002)
        self.assertEqual(self.plan(releases.Live(A, True, 8002)).next_port, 8001)

    def test_the_live_release_with_the_same_configuration_needs_no_release(self) -> None:
        self.assertFalse(self.plan(releases.Live(B, True, 8001)).release_needed)

    def test_a_new_image_a_stopped_release_or_a_new_configuration_needs_one(self) -> None:
        self.assertTrue(self.plan(releases.Live(A, True, 8001)).release_needed)
        self.assertTrue(self.plan(releases.Live(B, False, 8001)).release_needed)
        self.assertTrue(self.plan(releases.Live(B, True, 8001), changed=True).release_needed)

    def test_a_running_release_in_a_slot_is_handed_over_through_the_proxy(self) -> None:
        plan = self.plan(releases.Live(A, True, 8002))
        self.assertTrue(plan.hand_over)
        self.assertFalse(plan.stop_unproxied)
        self.assertEqual((plan.live_image, plan.live_port), (A, 8002))

    def test_a_stopped_release_is_not_drained_but_is_stopped(self) -> None:
        plan = self.plan(releases.Live(A, False, 8001))
        self.assertFalse(plan.hand_over)
        self.assertTrue(plan.live_exists)

    def test_a_release_from_before_the_proxy_is_stopped_before_it_starts(self) -> None:
        plan = self.plan(releases.Live(A, True, 80))
        self.assertTrue(plan.stop_unproxied)
        self.assertFalse(plan.hand_over)
        self.assertEqual(plan.next_port, 8001)

    def test_each_app_host_has_its_own_slots(self) -> None:
        # A release across app hosts asks each host with its own live release.
        hosts = {"app1": releases.Live(A, True, 8001), "app2": releases.Live(A, True, 8002)}
        next_ports = {host: self.plan(live).next_port for host, live in hosts.items()}
        self.assertEqual(next_ports, {"app1": 8002, "app2": 8001})


class DecideTest(unittest.TestCase):
    live = releases.Live(C, True, 8001)

    def decide(self, image: str = D, **overrides: Any) -> Any:
        given: dict[str, Any] = {
            "rollback": False,
            "releases": releases.parse_log(""),
            "gated": False,
            "passed": set(),
            "force_reason": "",
        }
        return releases.decide(image, self.live, SLOTS, False, **(given | overrides))

    def test_a_release_releases_the_image_given(self) -> None:
        plan = self.decide()
        self.assertEqual((plan.image, plan.forced_reason), (D, ""))

    def test_a_rollback_releases_the_rollback_target_whatever_image_is_given(self) -> None:
        log = releases.parse_log(f"{A} 2026-12-01T00:00:00Z\n{C} 2026-12-02T00:00:00Z\n")
        plan = self.decide("", rollback=True, releases=log, force_reason="ignored")
        self.assertEqual((plan.image, plan.forced_reason, plan.next_port), (A, "", 8002))
        self.assertTrue(plan.release_needed)

    def test_a_rollback_with_nowhere_to_go_is_refused(self) -> None:
        with self.assertRaisesRegex(releases.Refused, "No earlier release to roll back to"):
            self.decide("", rollback=True)

    def test_the_log_keeps_the_reason_only_for_an_image_staging_did_not_pass(self) -> None:
        self.assertEqual(self.decide(gated=True, force_reason="hotfix").forced_reason, "hotfix")
        passed = self.decide(gated=True, passed={D}, force_reason="hotfix")
        self.assertEqual(passed.forced_reason, "")
        self.assertEqual(self.decide(force_reason="hotfix").forced_reason, "")


class DrainTest(unittest.TestCase):
    old = "127.0.0.1:8001"

    def wait(self, busy: list[int], handover: float = 2.0, drain: float = 30.0) -> float:
        """Wait for the old slot with the proxy reporting ``busy`` requests on it, one count per
        look (the last repeated), on a clock that moves only when the wait sleeps; the seconds
        the wait took."""
        now = [0.0]
        looks = iter(busy)
        last = [busy[0]]

        def upstreams() -> list[dict[str, object]]:
            last[0] = next(looks, last[0])
            return [
                {"address": self.old, "num_requests": last[0]},
                {"address": "127.0.0.1:8002", "num_requests": 7},
            ]

        def sleep(seconds: float) -> None:
            now[0] += seconds

        releases.wait_until_drained(self.old, upstreams, handover, drain, lambda: now[0], sleep)
        return now[0]

    def test_counts_the_requests_on_the_old_slot_only(self) -> None:
        upstreams = [
            {"address": self.old, "num_requests": 2},
            {"address": "127.0.0.1:8002", "num_requests": 5},
        ]
        self.assertEqual(releases.requests_on(upstreams, self.old), 2)
        self.assertEqual(releases.requests_on([], self.old), 0)

    def test_an_idle_old_slot_still_waits_for_the_proxy_to_see_it_unhealthy(self) -> None:
        self.assertAlmostEqual(self.wait([0], handover=2.0), 2.0, delta=0.06)

    def test_waits_for_the_last_request_on_the_old_slot(self) -> None:
        took = self.wait([1] * 80 + [0], handover=2.0)  # busy for 80 looks of 0.05 s
        self.assertAlmostEqual(took, 4.0, delta=0.06)

    def test_refuses_when_the_old_slot_is_still_busy_after_the_drain_time(self) -> None:
        with self.assertRaises(releases.Refused) as refused:
            self.wait([3], drain=30)
        self.assertEqual(str(refused.exception), f"{self.old} still had requests after 30 s")

    def test_the_health_interval_as_caddy_writes_it(self) -> None:
        self.assertEqual(releases.duration_seconds("1s"), 1.0)
        self.assertEqual(releases.duration_seconds("500ms"), 0.5)
        self.assertEqual(releases.duration_seconds("2m"), 120.0)
        for duration in ["1", "fast", "s"]:
            with self.subTest(duration=duration), self.assertRaises(ValueError):
                releases.duration_seconds(duration)


class UpstreamsHandler(BaseHTTPRequestHandler):
    """Caddy's admin API, as far as the drain asks it: one upstream, idle."""

    def do_GET(self) -> None:
        assert self.path == "/reverse_proxy/upstreams"
        body = json.dumps([{"address": "127.0.0.1:8001", "num_requests": 0, "fails": 0}])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


class CommandLineTest(unittest.TestCase):
    """The commands the role runs, as it runs them: arguments in, JSON or a refusal out."""

    def setUp(self) -> None:
        self.server = ServerDirectory(self)

    def test_decide_prints_the_plan_the_play_reads(self) -> None:
        live = json.dumps({"image": A, "running": True, "port": 8001})
        decided = self.server.run("decide", B, "--live", live, "--ports", "8001", "8002")
        self.assertEqual(decided.returncode, 0, decided.stderr)
        plan = json.loads(decided.stdout)
        self.assertEqual(plan["image"], B)
        self.assertEqual(plan["next_port"], 8002)
        self.assertIs(plan["release_needed"], True)
        self.assertIs(plan["hand_over"], True)

    def test_decide_refuses_a_rollback_with_nowhere_to_go(self) -> None:
        decided = self.server.run(
            "decide", "", "--live", "null", "--ports", "8001", "8002", "--rollback"
        )
        self.assertEqual(decided.returncode, 1)
        self.assertIn("No earlier release to roll back to", decided.stderr)

    def test_wait_drained_asks_the_proxys_admin_api(self) -> None:
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), UpstreamsHandler)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        self.addCleanup(proxy.server_close)
        self.addCleanup(proxy.shutdown)
        admin = f"127.0.0.1:{proxy.server_address[1]}"
        drained = self.server.run(
            "wait-drained",
            "127.0.0.1:8001",
            "--proxy-admin",
            admin,
            "--health-interval",
            "50ms",
            "--drain-seconds",
            "5",
        )
        self.assertEqual(drained.returncode, 0, drained.stderr)


class BuildTagTest(unittest.TestCase):
    def test_names_and_contents_make_the_tag(self) -> None:
        tag = releases.build_tag([("Dockerfile", b"FROM x\n"), ("src/a.py", b"")])
        self.assertRegex(tag, "^[0-9a-f]{16}$")
        self.assertNotEqual(
            tag, releases.build_tag([("Dockerfile", b"FROM y\n"), ("src/a.py", b"")])
        )
        self.assertNotEqual(
            tag, releases.build_tag([("Dockerfile", b"FROM x\n"), ("src/b.py", b"")])
        )

    def test_the_tag_of_this_checkout_is_the_one_earlier_deploys_gave_it(self) -> None:
        # What image.yaml ran before the module: so an unchanged checkout is not built again.
        shell = subprocess.run(
            "git ls-files -z -co --exclude-standard -- Dockerfile .dockerignore requirements.txt"
            " gunicorn.conf.py src | xargs -0 sha256sum | sha256sum",
            shell=True,
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout[:16]
        command = subprocess.run(
            [sys.executable, str(RELEASES), str(REPO_ROOT), "build-tag"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        self.assertEqual(command, shell)

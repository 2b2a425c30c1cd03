import subprocess
import unittest
from unittest import mock

from bench.load_spec import LoadResult, LoadSpec
from bench.wrk import WrkFailed, ensure_wrk, parse_wrk_output
from sitekit.loopback import NotLoopback

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:4000/lists/1/
  1 threads and 10 connections
  2000 requests in 5.00s, 1.2MB read
Requests/sec:    400.00
BENCH_RESULT {"requests": 2000, "duration_us": 5000000, "bytes": 1200000, "p50_us": 24500, \
"p99_us": 61000, "max_us": 90000, "errors": {"connect": 0, "read": 1, "write": 0, "timeout": 2}, \
"statuses": {"200": 1990, "500": 7}}
"""


class ParseWrkOutputTest(unittest.TestCase):
    def test_reads_the_result_line(self) -> None:
        result = parse_wrk_output(WRK_OUTPUT)
        self.assertEqual(result.requests, 2000)
        self.assertAlmostEqual(result.requests_per_second, 400.0)
        self.assertAlmostEqual(result.p50_ms, 24.5)
        self.assertAlmostEqual(result.p99_ms, 61.0)
        self.assertEqual(result.statuses, {200: 1990, 500: 7})
        self.assertEqual(result.socket_errors, 3)

    def test_counts_non_2xx_and_unexpected_statuses(self) -> None:
        result = parse_wrk_output(WRK_OUTPUT)
        self.assertEqual(result.non_2xx, 7)
        self.assertEqual(result.unexpected(expected_status=200), 7 + 3)

    def test_a_redirect_is_non_2xx_but_expected_for_a_post(self) -> None:
        result = LoadResult(10, 1.0, 1.0, 2.0, {302: 10}, 0, "wrk")
        self.assertEqual(result.non_2xx, 10)
        self.assertEqual(result.unexpected(expected_status=302), 0)

    def test_output_without_the_result_line_is_an_error(self) -> None:
        with self.assertRaises(WrkFailed):
            parse_wrk_output("unable to connect to 127.0.0.1:4000 Connection refused\n")


class LoadSpecTest(unittest.TestCase):
    def test_a_load_spec_cannot_even_be_made_for_another_host(self) -> None:
        with self.assertRaises(NotLoopback):
            LoadSpec(url="http://example.com/", duration_s=1, connections=1, max_requests=1)


class EnsureWrkTest(unittest.TestCase):
    def test_installs_wrk_with_apt_get_when_root(self) -> None:
        done = subprocess.CompletedProcess([], 0, "", "")
        with (
            mock.patch("shutil.which", side_effect=lambda name: None if name == "wrk" else name),
            mock.patch("os.geteuid", return_value=0),
            mock.patch("subprocess.run", return_value=done) as run,
        ):
            self.assertEqual(ensure_wrk(), "installed wrk with apt-get")
        commands = [call.args[0] for call in run.call_args_list]
        self.assertEqual(commands[-1], ["apt-get", "install", "-y", "-qq", "wrk"])

    def test_otherwise_says_how_to_install_it(self) -> None:
        with (
            mock.patch("shutil.which", return_value=None),
            mock.patch("os.geteuid", return_value=1000),
            self.assertRaisesRegex(WrkFailed, "apt-get install -y wrk"),
        ):
            ensure_wrk()

import unittest

from bench.load_spec import LoadResult, LoadSpec, NotLoopback, require_loopback
from bench.load_wrk import WrkFailed, parse_wrk_output

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


class LoopbackOnlyTest(unittest.TestCase):
    def test_accepts_all_of_127_0_0_0_slash_8(self) -> None:
        require_loopback("http://127.0.0.1:8000/")
        require_loopback("http://127.0.10.1/lists/1/")

    def test_refuses_anything_else(self) -> None:
        for url in ("http://10.0.0.1/", "http://localhost.example.com/", "http://128.0.0.1/"):
            with self.subTest(url=url), self.assertRaises(NotLoopback):
                require_loopback(url)

    def test_a_load_spec_cannot_even_be_made_for_another_host(self) -> None:
        with self.assertRaises(NotLoopback):
            LoadSpec(url="http://example.com/", duration_s=1, connections=1, max_requests=1)

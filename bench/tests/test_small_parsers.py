import unittest

from bench.instructions import Count, total_instructions
from bench.instructions import report as instructions_report
from bench.profiling import parse_collapsed, shares_by_part
from bench.staging import parse_export_lines
from bench.static_files import static_verdict
from bench.suite_timing import outcome_counts
from bench.tables import format_table


class StandinEnvTest(unittest.TestCase):
    def test_reads_shell_quoted_export_lines(self) -> None:
        text = "export STAGING_HOST=127.0.10.1\nexport FT_POP3_PASSWORD='a b'\"'\"'c'\n# note\n"
        self.assertEqual(
            parse_export_lines(text), {"STAGING_HOST": "127.0.10.1", "FT_POP3_PASSWORD": "a b'c"}
        )


class OutcomeCountsTest(unittest.TestCase):
    def test_reads_the_runners_last_counting_line(self) -> None:
        output = "....\nRan 4 tests in 1.2s\n\n3 passed, 1 failed, 0 skipped\n"
        self.assertEqual(outcome_counts(output), (3, 1, 0))

    def test_no_line_means_nothing_counted(self) -> None:
        self.assertEqual(outcome_counts("ImportError: boom"), (0, 0, 0))


class StaticVerdictTest(unittest.TestCase):
    def test_a_hashed_compressed_immutable_file_meets_all_three(self) -> None:
        verdict = static_verdict(
            "/static/bootstrap/css/bootstrap.min.4bc73c7ba870.css",
            {"Content-Encoding": "br", "Cache-Control": "max-age=315360000, public, immutable"},
        )
        self.assertTrue(verdict.all_met)

    def test_a_plain_file_with_a_short_cache_meets_none(self) -> None:
        verdict = static_verdict("/static/lists/lists.js", {"Cache-Control": "max-age=60"})
        self.assertEqual((verdict.compressed, verdict.far_future, verdict.hashed), (False,) * 3)


class ProfileSharesTest(unittest.TestCase):
    def test_time_goes_to_the_innermost_known_part(self) -> None:
        stacks = parse_collapsed(
            [
                "run (gunicorn/workers/sync.py:1);render (django/template/base.py:2) 3",
                "run (gunicorn/workers/sync.py:1);render (django/template/base.py:2);"
                "execute (django/db/backends/utils.py:3) 1",
            ]
        )
        self.assertEqual(
            shares_by_part(stacks), [("template rendering", 0.75), ("database (ORM)", 0.25)]
        )


class FormatTableTest(unittest.TestCase):
    def test_aligns_columns_under_their_headers(self) -> None:
        table = format_table("Title", ["page", "req/s"], [["home", 900], ["list", 1200]])
        self.assertEqual(
            table.splitlines()[2:], ["page  req/s", "----  -----", "home    900", "list   1200"]
        )


class CallgrindTotalTest(unittest.TestCase):
    def test_reads_the_summary_line(self) -> None:
        dump = "version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 123456789\n\nfn=x\n"
        self.assertEqual(total_instructions(dump), 123456789)

    def test_or_the_totals_line(self) -> None:
        self.assertEqual(total_instructions("events: Ir\nfn=x\n1 5\ntotals: 42\n"), 42)

    def test_a_dump_without_either_is_an_error(self) -> None:
        with self.assertRaises(ValueError):
            total_instructions("events: Ir\n")

    def test_each_as_a_share_of_the_ceiling(self) -> None:
        table = instructions_report([Count("ceiling", 1_000_000), Count("home", 2_500_000)])
        self.assertIn("1.00 M", table)
        self.assertRegex(table, r"home\s+2\.50 M\s+0\.400")

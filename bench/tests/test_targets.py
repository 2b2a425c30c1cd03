import unittest

from bench.targets import MET, NOT_MEASURED, NOT_MET, check_targets


def results_with(list_fraction: float, home_fraction: float, my_lists_queries: int) -> dict:
    return {
        "http": {
            "pages": [
                {"page": "home", "fraction_of_ceiling": home_fraction},
                {"page": "list, 20 items", "fraction_of_ceiling": list_fraction},
            ],
            "static_file_checks": {
                "content_encoding": "gzip", "cache_control": "max-age=315360000",
                "hashed": True, "all_met": True,
            },
        },
        "queries": [
            {"page": "list page", "small": 2, "large": 2, "constant": True},
            {"page": "My Lists (logged in)", "small": my_lists_queries,
             "large": my_lists_queries, "constant": True},
        ],
    }  # fmt: skip


class CheckTargetsTest(unittest.TestCase):
    def verdicts(self, results: dict) -> dict[str, str]:
        return {check.target: check.verdict for check in check_targets(results)}

    def test_fractions_of_the_ceiling_against_their_goals(self) -> None:
        verdicts = self.verdicts(results_with(0.55, 0.65, 3))
        self.assertEqual(verdicts["list, 20 items: share of the ceiling's req/s"], MET)
        self.assertEqual(verdicts["home: share of the ceiling's req/s"], NOT_MET)
        self.assertEqual(verdicts["My Lists: queries, whatever the number of lists"], MET)

    def test_four_queries_on_my_lists_is_one_too_many(self) -> None:
        verdicts = self.verdicts(results_with(0.55, 0.75, 4))
        self.assertEqual(verdicts["My Lists: queries, whatever the number of lists"], NOT_MET)

    def test_what_was_not_run_is_not_measured_rather_than_failed(self) -> None:
        verdicts = self.verdicts(results_with(0.55, 0.75, 3))
        self.assertEqual(verdicts["FT suite, against staging: the book's 8 stories"], NOT_MEASURED)
        self.assertEqual(verdicts["email in the test's hands after sending"], NOT_MEASURED)

    def test_the_ft_suites_against_their_goals_only_if_they_passed(self) -> None:
        results = results_with(0.55, 0.75, 3)
        results["tests"] = [
            {"name": "FT suite, local: the book's 8 stories", "seconds": 7.9, "exit_code": 0}
        ]
        results["staging"] = {
            "book_stories": {"seconds": 12.0, "exit_code": 0},
            "ft_suite": {"seconds": 30.0, "exit_code": 1},
        }
        verdicts = self.verdicts(results)
        self.assertEqual(verdicts["FT suite, local: the book's 8 stories"], MET)
        self.assertEqual(verdicts["FT suite, against staging: the book's 8 stories"], MET)
        self.assertEqual(verdicts["FT suite, against staging: all of it"], NOT_MEASURED)

        results["tests"][0]["seconds"] = 8.1
        results["staging"]["ft_suite"] = {"seconds": 46.0, "exit_code": 0}
        verdicts = self.verdicts(results)
        self.assertEqual(verdicts["FT suite, local: the book's 8 stories"], NOT_MET)
        self.assertEqual(verdicts["FT suite, against staging: all of it"], NOT_MET)

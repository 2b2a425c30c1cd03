"""Django's test runner, with three changes.

- With no labels it runs the project's tests wherever it is started from, so that
  ``python src/manage.py test`` works from the repository root as well as from ``src/``.
- It ends with a line that counts the outcomes: ``N passed, N failed, N skipped``.
- The console log shows errors only: a line for every request the tests make (404s at warning)
  (``observability.request_logging``) would bury the tests' own output. The loggers keep their
  levels, so a test can still read the INFO lines (``observability.log_capture``).
"""

import logging
import unittest
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.test.runner import DiscoverRunner


class CountingTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs: Any) -> None:
        super().setup_test_environment(**kwargs)
        for handler in logging.getLogger().handlers:
            if handler.get_name() == "console":
                handler.setLevel(logging.ERROR)

    def build_suite(
        self, test_labels: Sequence[str] | None = None, **kwargs: Any
    ) -> unittest.TestSuite:
        return super().build_suite(test_labels or [str(settings.BASE_DIR)], **kwargs)

    def run_suite(self, suite: unittest.TestSuite, **kwargs: Any) -> unittest.TextTestResult:
        result = super().run_suite(suite, **kwargs)
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped) + len(result.expectedFailures)
        passed = max(result.testsRun - failed - skipped, 0)
        print(f"\n{passed} passed, {failed} failed, {skipped} skipped", flush=True)
        return result

import io
import os
import pickle
import unittest
from unittest import mock

from django.test import TransactionTestCase

from functional_tests.base import FunctionalTest


class SubtestFailingOnPurpose(FunctionalTest):
    """Not a test of its own: no method named test_* (the test below runs its one method)."""

    def save_failure_artifacts(self) -> None:
        pass  # a failure on purpose: no screenshot to look at

    def check_the_home_page(self) -> None:
        self.browser.get(self.live_server_url)
        with self.subTest(page="home"):
            self.fail("on purpose")


class ParallelRunTest(TransactionTestCase):
    """A --parallel run's worker sends its parent what happened, pickled: when a subtest
    failed, the whole finished test goes (so an FT's browser must not be part of it)."""

    def test_a_finished_ft_whose_subtest_failed_can_go_to_the_parent_process(self) -> None:
        test = SubtestFailingOnPurpose("check_the_home_page")
        local = {name: value for name, value in os.environ.items() if name != "TEST_SERVER"}
        with mock.patch.dict(os.environ, local, clear=True):
            outcome = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(
                unittest.TestSuite([test])
            )
        self.assertEqual(len(outcome.failures), 1)

        copy = pickle.loads(pickle.dumps(test))

        self.assertEqual(copy.id(), test.id())

"""Outages: the windows from a first failed request to the next success, across all visitors,
timed on a fake clock."""

import unittest
from datetime import datetime, timedelta

from loadtest.outages import Attempt, Outage, describe_outages, find_outages
from loadtest.tally import Tally

NOON = datetime(2026, 11, 26, 12, 0, 0)


def at_noon_plus(seconds: float) -> datetime:
    return NOON + timedelta(seconds=seconds)


def ok(sent_at: float, done_at: float) -> Attempt:
    return Attempt(sent_at, done_at, failed=False)


def failed(sent_at: float, done_at: float) -> Attempt:
    return Attempt(sent_at, done_at, failed=True)


class FindOutagesTest(unittest.TestCase):
    def test_no_failure_no_outage(self) -> None:
        self.assertEqual(find_outages([ok(0, 1), ok(1, 2)]), [])

    def test_from_the_first_failure_to_the_next_success(self) -> None:
        attempts = [ok(0.0, 0.1), failed(0.9, 1.0), failed(1.1, 1.2), ok(2.0, 2.5), ok(2.5, 2.6)]
        self.assertEqual(find_outages(attempts), [Outage(1.0, 2.5)])

    def test_across_all_visitors_in_the_order_outcomes_came_back(self) -> None:
        # Two visitors' requests, listed visitor by visitor.
        first = [failed(1.0, 1.0), failed(1.5, 1.5), ok(3.0, 3.2)]
        second = [ok(0.5, 0.9), failed(2.0, 2.0), ok(2.5, 2.7)]
        self.assertEqual(find_outages(first + second), [Outage(1.0, 2.7)])

    def test_an_answer_to_a_request_sent_before_the_outage_does_not_end_it(self) -> None:
        # A slow request, sent while all was well, comes back after others failed.
        attempts = [failed(1.0, 1.1), ok(0.5, 1.3), ok(1.5, 2.0)]
        self.assertEqual(find_outages(attempts), [Outage(1.1, 2.0)])

    def test_a_failure_of_a_request_sent_before_it_ended_does_not_start_another(self) -> None:
        # A request sent during the outage fails after another has succeeded: nothing new.
        attempts = [failed(1.0, 1.0), ok(1.2, 1.4), failed(1.1, 1.6), ok(1.7, 1.8)]
        self.assertEqual(find_outages(attempts), [Outage(1.0, 1.4)])

    def test_each_outage_apart(self) -> None:
        attempts = [failed(1, 1), ok(2, 2), failed(5, 5), failed(6, 6), ok(8, 8)]
        self.assertEqual(find_outages(attempts), [Outage(1, 2), Outage(5, 8)])

    def test_one_still_going_when_the_load_ended(self) -> None:
        [outage] = find_outages([ok(0, 1), failed(2, 3), failed(4, 5)])
        self.assertEqual(outage, Outage(3, None))
        self.assertEqual(outage.seconds(load_ended_at=7), 4)


class DescribeOutagesTest(unittest.TestCase):
    def test_none(self) -> None:
        self.assertEqual(describe_outages([], 10, at_noon_plus), "none")

    def test_one_with_its_length_start_and_end(self) -> None:
        self.assertEqual(
            describe_outages([Outage(1.23, 2.46)], 10, at_noon_plus),
            "1, longest 1.23 s (12:00:01.2–12:00:02.4)",
        )

    def test_several_in_all_and_the_longest(self) -> None:
        self.assertEqual(
            describe_outages([Outage(1.0, 1.5), Outage(4.0, 6.25)], 10, at_noon_plus),
            "2, 2.75 s in all, longest 2.25 s (12:00:04.0–12:00:06.2)",
        )

    def test_one_not_over(self) -> None:
        self.assertEqual(
            describe_outages([Outage(8.0, None)], 9.5, at_noon_plus),
            "1, longest 1.50 s (12:00:08.0–, still failing when the load ended)",
        )


class TallyTest(unittest.TestCase):
    def test_times_each_request_on_its_clock_for_the_outages(self) -> None:
        now = [10.0]  # the clock reads 10 s at noon
        tally = Tally(clock=lambda: now[0], wall_clock=NOON.timestamp)
        refused = "connection refused"
        for sent_at, done_at, failure in [(10, 11, None), (11, 12, refused), (12, 13.5, refused),
                                          (13.5, 14, None)]:  # fmt: skip
            now[0] = done_at
            tally.record(sent_at, None, failure, "GET /")
        self.assertEqual((tally.requests, tally.failed), (4, 2))
        self.assertEqual(tally.outages(), [Outage(12, 14)])
        self.assertEqual(tally.wall_time(12), at_noon_plus(2))
        self.assertEqual(tally.examples[0], "12:00:02 GET /: connection refused")

"""How the load test names and counts failed requests: each kind from what a real socket does
(a port nobody listens on, a server that resets, closes, hangs or cuts its answer short), and
every failure counted, the visitor going on."""

import errno
import socket
import struct
import threading
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from requests.adapters import HTTPAdapter

from loadtest.failures import REQUEST_ERRORS, kind_of_answer, kind_of_error
from loadtest.load_run import LoadRun
from loadtest.report import Report
from loadtest.tally import Tally
from loadtest.visitor import Visitor
from sitekit.loopback import free_port
from sitekit.web_client import Page


@contextmanager
def misbehaving_server(
    behaviour: Callable[[socket.socket, threading.Event], None],
) -> Iterator[str]:
    """The URL of a server on loopback that reads one request, then does ``behaviour`` with its
    connection instead of answering properly (given an event set when the test is over)."""
    over = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            behaviour(connection, over)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        over.set()
        listener.close()
        thread.join(timeout=5)


def reset(connection: socket.socket, over: threading.Event) -> None:
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()  # with linger 0: an RST, not a FIN


def close(connection: socket.socket, over: threading.Event) -> None:
    connection.close()


def hang(connection: socket.socket, over: threading.Event) -> None:
    over.wait(10)  # holding the connection, unanswered, until the test is over


def cut_short(connection: socket.socket, over: threading.Event) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
    connection.close()


def failure_of(url: str, timeout: float = 5) -> str:
    with Visitor(url, timeout=timeout) as visitor:
        try:
            visitor.get("/")
        except REQUEST_ERRORS as error:
            return kind_of_error(error)
    raise AssertionError(f"{url} answered")


class KindOfFailureTest(unittest.TestCase):
    def test_nothing_listening_is_connection_refused(self) -> None:
        self.assertEqual(failure_of(f"http://127.0.0.1:{free_port()}"), "connection refused")

    def test_a_reset_is_connection_reset(self) -> None:
        with misbehaving_server(reset) as url:
            self.assertEqual(failure_of(url), "connection reset")

    def test_a_connection_closed_before_the_answer(self) -> None:
        with misbehaving_server(close) as url:
            self.assertEqual(failure_of(url), "closed without an answer")

    def test_no_answer_in_time_is_a_timeout(self) -> None:
        with misbehaving_server(hang) as url:
            self.assertEqual(failure_of(url, timeout=0.2), "timeout")

    def test_an_answer_cut_short(self) -> None:
        with misbehaving_server(cut_short) as url:
            self.assertEqual(failure_of(url), "answer cut short")

    def test_what_the_socket_said_when_connecting_failed(self) -> None:
        # What this machine cannot do on loopback: the socket's own errors, through the real
        # requests and urllib3 (whose "could not connect" is a kind of its connect timeout).
        for error, kind in [
            (OSError(errno.EHOSTUNREACH, "No route to host"), "no route to host"),
            (OSError(errno.ENETUNREACH, "Network is unreachable"), "network unreachable"),
            (TimeoutError("timed out"), "timeout connecting"),
        ]:
            with (
                self.subTest(kind=kind),
                mock.patch("urllib3.util.connection.create_connection", side_effect=error),
            ):
                self.assertEqual(failure_of(f"http://127.0.0.1:{free_port()}"), kind)

    def test_answers_with_the_wrong_status(self) -> None:
        self.assertEqual(kind_of_answer(502), "HTTP 502")
        self.assertEqual(kind_of_answer(403), "unexpected HTTP 403")


def page(status: int, body: str = "") -> Page:
    return Page("http://127.0.0.1/", status, "", body, 0.01)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class CountingTest(unittest.TestCase):
    """LoadRun.send: every request counted, each failure by its kind; the visitor goes on."""

    def setUp(self) -> None:
        self.clock = FakeClock()
        self.report = Report(tally=Tally(clock=self.clock, wall_clock=lambda: 0.0))
        stopped = threading.Event()
        stopped.set()  # no pause after a failure: nothing to wait for here
        self.load = LoadRun(["http://127.0.0.1:1"], self.report, 1000, stopped)
        self.visitor = self.enterContext(Visitor(f"http://127.0.0.1:{free_port()}"))

    def test_every_failed_request_counts_with_its_kind(self) -> None:
        for _ in range(3):
            self.assertIsNone(self.load.send(self.visitor, "GET /", {200}, self.visitor.get, "/"))
        self.assertIsNone(self.load.send(self.visitor, "add", {302}, lambda: page(502)))
        self.assertIsNone(self.load.send(self.visitor, "GET /", {200}, lambda: page(403)))
        tally = self.report.tally
        self.assertEqual((tally.requests, tally.failed), (5, 5))
        self.assertEqual(
            tally.failures,
            {"connection refused": 3, "HTTP 502": 1, "unexpected HTTP 403": 1},
        )
        self.assertEqual(tally.statuses, {502: 1, 403: 1})  # only answers have a status
        self.assertEqual(tally.examples[0], "00:00:00 GET /: connection refused")

    def test_an_answer_with_the_right_status_but_not_what_was_expected_fails(self) -> None:
        def says_hello(answer: Page) -> str | None:
            return None if "hello" in answer.body else "unexpected answer: no hello"

        good = self.load.send(self.visitor, "x", {200}, page, 200, "hello", unexpected=says_hello)
        self.assertEqual(good, page(200, "hello"))
        bad = self.load.send(self.visitor, "x", {200}, page, 200, "bye", unexpected=says_hello)
        self.assertIsNone(bad)
        self.assertEqual(self.report.tally.failures, {"unexpected answer: no hello": 1})
        self.assertEqual(self.report.tally.requests, 2)

    def test_after_a_network_error_the_next_request_opens_a_new_connection(self) -> None:
        with misbehaving_server(reset) as url, Visitor(url) as visitor:
            adapter = visitor.session.get_adapter(url)
            assert isinstance(adapter, HTTPAdapter)
            self.assertIsNone(self.load.send(visitor, "GET /", {200}, visitor.get, "/"))
            self.assertEqual(len(adapter.poolmanager.pools), 0)  # dropped: the next is new
        self.assertEqual(self.report.tally.failures, {"connection reset": 1})

import socket
import threading
from collections.abc import Callable
from typing import Any
from unittest import TestCase

from django.core.servers.basehttp import WSGIRequestHandler

from functional_tests.live_server import PromptWSGIServer


class PromptWSGIServerTest(TestCase):
    def test_accepted_connections_send_without_waiting_for_acks(self) -> None:
        server = PromptWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
        self.addCleanup(server.server_close)
        client = socket.create_connection(("127.0.0.1", server.server_port), timeout=5)
        self.addCleanup(client.close)

        connection, _address = server.get_request()
        self.addCleanup(connection.close)

        self.assertEqual(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1)

    def test_closing_ends_the_connections_a_browser_keeps_open(self) -> None:
        server = PromptWSGIServer(("127.0.0.1", 0), QuietRequestHandler)
        server.set_app(answer_ok)
        serving = threading.Thread(target=server.serve_forever)
        serving.start()
        threads_before = set(threading.enumerate())
        client = socket.create_connection(("127.0.0.1", server.server_port), timeout=5)
        self.addCleanup(client.close)
        client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        response = b""
        while not response.endswith(b"\r\n\r\nok"):
            response += client.recv(4096)  # answered; the connection is kept open for more
        request_threads = set(threading.enumerate()) - threads_before
        self.assertEqual(len(request_threads), 1)

        server.shutdown()
        server.server_close()
        serving.join()

        self.assertEqual([t for t in request_threads if t.is_alive()], [])
        self.assertEqual(client.recv(4096), b"")  # the server's end is shut


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # no request line on the test run's console


def answer_ok(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]

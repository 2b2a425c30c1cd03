"""The local live server the FTs browse, tuned so that the tests wait on the app, not on TCP."""

import contextlib
import socket
import threading
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class PromptWSGIServer(ThreadedWSGIServer):
    # A test class's server closes while the run's browsers live on (functional_tests.browser):
    # their idle keep-alive connections would keep request threads alive that use the class's
    # database connection after the class has stopped sharing it. So closing shuts the open
    # connections and waits for their threads.
    daemon_threads = False
    block_on_close = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open_connections: set[socket.socket] = set()
        self._open_connections_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        # wsgiref writes a response's headers and its body separately; with Nagle's algorithm on,
        # the body then waits for the browser's delayed ACK of the headers: 40 ms on every page.
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._open_connections_lock:
            self._open_connections.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_connections_lock:
            self._open_connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        with self._open_connections_lock:
            for connection in self._open_connections:
                with contextlib.suppress(OSError):  # the client has closed it already
                    connection.shutdown(socket.SHUT_RDWR)
        super().server_close()

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        # shutdown() waits for the next poll; socketserver's default of 0.5 s is paid per class.
        super().serve_forever(poll_interval)


class PromptLiveServerThread(LiveServerThread):
    server_class = PromptWSGIServer

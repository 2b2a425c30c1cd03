"""The local live server the FTs browse, tuned so that the tests wait on the app, not on TCP."""

import socket
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class PromptWSGIServer(ThreadedWSGIServer):
    def get_request(self) -> tuple[socket.socket, Any]:
        # wsgiref writes a response's headers and its body separately; with Nagle's algorithm on,
        # the body then waits for the browser's delayed ACK of the headers: 40 ms on every page.
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        # shutdown() waits for the next poll; socketserver's default of 0.5 s is paid per class.
        super().serve_forever(poll_interval)


class PromptLiveServerThread(LiveServerThread):
    server_class = PromptWSGIServer

import socket
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

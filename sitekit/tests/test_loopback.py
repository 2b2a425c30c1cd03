"""Load goes to this machine only: the one guard the benchmark and the load test share."""

import socket
import unittest
from unittest import mock

from sitekit.loopback import NotLoopback, free_port, require_loopback


class LoopbackOnlyTest(unittest.TestCase):
    def test_accepts_all_of_127_0_0_0_slash_8(self) -> None:
        require_loopback("http://127.0.0.1:8000/")
        require_loopback("http://127.0.10.1/lists/1/")

    def test_accepts_a_name_that_resolves_to_loopback_only(self) -> None:
        require_loopback("http://localhost:8000/")
        require_loopback("http://[::1]:8000/")

    def test_refuses_anything_else(self) -> None:
        for url in ("http://10.0.0.1/", "http://localhost.example.com/", "http://128.0.0.1/"):
            with self.subTest(url=url), self.assertRaises(NotLoopback):
                require_loopback(url)

    def test_refuses_a_name_that_resolves_elsewhere(self) -> None:
        answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0)),
                   (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 0))]  # fmt: skip
        with (
            mock.patch("socket.getaddrinfo", return_value=answers),
            self.assertRaisesRegex(NotLoopback, "93.184.215.14, not a loopback address"),
        ):
            require_loopback("http://partly-local.test/")

    def test_refuses_a_standin_address_that_no_standin_host_of_this_machine_has(self) -> None:
        # In the isolated hosts' subnet, but no veth of ours routes it (no such host is up):
        # it could be anyone's. (With the host up, the multi-host tests load it.)
        with self.assertRaises(NotLoopback):
            require_loopback("https://10.88.20.254/")

    def test_refuses_a_url_without_a_host(self) -> None:
        with self.assertRaises(NotLoopback):
            require_loopback("/lists/1/")


class FreePortTest(unittest.TestCase):
    def test_nothing_listens_on_it(self) -> None:
        with socket.socket() as probe:
            self.assertNotEqual(probe.connect_ex(("127.0.0.1", free_port())), 0)

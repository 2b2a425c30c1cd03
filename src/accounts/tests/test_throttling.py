from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory, TestCase, override_settings

from accounts.throttling import allow_login_email, allow_share_email, client_network


def request_from(address: str, forwarded_for: str | None = None) -> WSGIRequest:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().post("/accounts/send_login_email", REMOTE_ADDR=address, headers=headers)


MID_MINUTE = datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC)


@override_settings(LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS=3, LOGIN_EMAILS_PER_MINUTE_PER_IP=20)
class AllowLoginEmailTest(TestCase):
    def setUp(self) -> None:
        cache.clear()
        # Half way through a minute, so that no test's requests straddle two windows.
        travel = time_machine.travel(MID_MINUTE, tick=False)
        self.clock = travel.start()
        self.addCleanup(travel.stop)

    def allowed(self, email: str, address: str = "192.0.2.1") -> bool:
        return allow_login_email(request_from(address), email)

    def test_three_a_minute_per_address(self) -> None:
        results = [self.allowed("edith@example.com", f"192.0.2.{n}") for n in range(1, 5)]
        self.assertEqual(results, [True, True, True, False])

    def test_the_address_limit_ignores_case(self) -> None:
        for email in ["edith@example.com", "Edith@example.com", "EDITH@EXAMPLE.COM"]:
            self.assertTrue(self.allowed(email))
        self.assertFalse(self.allowed("edith@Example.com"))

    def test_other_addresses_have_their_own_limit(self) -> None:
        for _ in range(3):
            self.allowed("edith@example.com")
        self.assertTrue(self.allowed("francis@example.com"))

    def test_twenty_a_minute_per_client(self) -> None:
        results = [self.allowed(f"user{n}@example.com") for n in range(21)]
        self.assertEqual(results, [True] * 20 + [False])
        self.assertTrue(self.allowed("user99@example.com", address="192.0.2.2"))

    def test_allowed_again_a_minute_later(self) -> None:
        for _ in range(4):
            self.allowed("edith@example.com")
        self.assertFalse(self.allowed("edith@example.com"))
        self.clock.shift(timedelta(seconds=61))
        self.assertTrue(self.allowed("edith@example.com"))

    @override_settings(LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS=1, LOGIN_EMAILS_PER_MINUTE_PER_IP=2)
    def test_limits_are_settings(self) -> None:
        self.assertTrue(self.allowed("edith@example.com"))
        self.assertFalse(self.allowed("edith@example.com"))
        self.assertFalse(self.allowed("francis@example.com"))

    def test_the_cache_keys_hold_no_email_address(self) -> None:
        with mock.patch("accounts.throttling.cache", wraps=cache) as spy:
            self.allowed("edith@example.com")
        keys = [call.args[0] for call in spy.add.call_args_list]
        self.assertEqual(len(keys), 2)
        self.assertFalse(any("edith" in key for key in keys), keys)


@override_settings(
    SHARE_EMAILS_PER_MINUTE_PER_OWNER=10,
    SHARE_EMAILS_PER_MINUTE_PER_ADDRESS=3,
    SHARE_EMAILS_PER_MINUTE_PER_IP=20,
)
class AllowShareEmailTest(TestCase):
    def setUp(self) -> None:
        cache.clear()
        travel = time_machine.travel(MID_MINUTE, tick=False)
        travel.start()
        self.addCleanup(travel.stop)

    def allowed(self, owner: str, sharee: str, address: str = "192.0.2.1") -> bool:
        return allow_share_email(request_from(address), owner, sharee)

    def test_three_a_minute_per_recipient_whoever_shares(self) -> None:
        owners = ["a@example.com", "B@example.com", "c@example.com", "d@example.com"]
        results = [self.allowed(owner, "frank@example.com") for owner in owners]
        self.assertEqual(results, [True, True, True, False])
        self.assertFalse(self.allowed("e@example.com", "FRANK@example.com"))

    def test_ten_a_minute_per_owner(self) -> None:
        results = [self.allowed("edith@example.com", f"f{n}@example.com") for n in range(11)]
        self.assertEqual(results, [True] * 10 + [False])

    def test_twenty_a_minute_per_client(self) -> None:
        results = [self.allowed(f"o{n}@example.com", f"f{n}@example.com") for n in range(21)]
        self.assertEqual(results, [True] * 20 + [False])

    def test_counted_apart_from_login_emails(self) -> None:
        for n in range(20):
            self.allowed(f"o{n}@example.com", f"f{n}@example.com")
        self.assertTrue(allow_login_email(request_from("192.0.2.1"), "edith@example.com"))


class ClientNetworkTest(TestCase):
    def test_is_the_remote_address(self) -> None:
        self.assertEqual(client_network(request_from("192.0.2.1")), "192.0.2.1")

    def test_ignores_x_forwarded_for_without_a_proxy(self) -> None:
        request = request_from("192.0.2.1", forwarded_for="203.0.113.9")
        self.assertEqual(client_network(request), "192.0.2.1")

    @override_settings(REVERSE_PROXIES=1)
    def test_behind_one_proxy_takes_the_address_the_proxy_saw(self) -> None:
        # The client forged the first entry; our proxy appended the real one.
        request = request_from("10.0.0.2", forwarded_for="198.51.100.7, 203.0.113.9")
        self.assertEqual(client_network(request), "203.0.113.9")

    @override_settings(REVERSE_PROXIES=2)
    def test_a_short_header_falls_back_to_the_remote_address(self) -> None:
        request = request_from("10.0.0.2", forwarded_for="203.0.113.9")
        self.assertEqual(client_network(request), "10.0.0.2")

    def test_an_ipv6_client_counts_as_its_slash_64(self) -> None:
        self.assertEqual(
            client_network(request_from("2001:db8:1:2:aaaa::1")),
            client_network(request_from("2001:db8:1:2:bbbb::2")),
        )
        self.assertEqual(client_network(request_from("2001:db8:1:2::1")), "2001:db8:1:2::/64")

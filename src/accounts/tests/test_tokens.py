import hashlib
from datetime import timedelta
from unittest import mock

import time_machine
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.authentication import PasswordlessAuthenticationBackend
from accounts.models import Token
from accounts.tokens import (
    SELECTOR_LENGTH,
    LinkStatus,
    check_login_token,
    consume_login_token,
    issue_login_token,
)


class IssueLoginTokenTest(TestCase):
    def test_tokens_are_long_random_and_url_safe(self) -> None:
        tokens = {issue_login_token(f"user{n}@example.com") for n in range(20)}
        self.assertEqual(len(tokens), 20)
        for token in tokens:
            # 96 bits of selector + 256 bits of verifier, base64url-encoded
            self.assertRegex(token, r"^[A-Za-z0-9_-]{59}$")

    def test_stores_only_a_hash_of_the_verifier(self) -> None:
        raw = issue_login_token("edith@example.com")
        token = Token.objects.get()
        verifier = raw[SELECTOR_LENGTH:]
        self.assertEqual(token.verifier_hash, hashlib.sha256(verifier.encode()).hexdigest())
        stored_values = " ".join(str(value) for value in Token.objects.values_list().get())
        self.assertNotIn(verifier, stored_values)
        self.assertNotIn(raw, stored_values)

    def test_a_new_token_makes_the_addresss_earlier_ones_invalid(self) -> None:
        old = issue_login_token("edith@example.com")
        new = issue_login_token("edith@example.com")
        self.assertEqual(check_login_token(old).status, LinkStatus.UNKNOWN)
        self.assertEqual(check_login_token(new).status, LinkStatus.VALID)

    def test_leaves_other_addresses_tokens_alone(self) -> None:
        francis = issue_login_token("francis@example.com")
        issue_login_token("edith@example.com")
        self.assertEqual(check_login_token(francis).status, LinkStatus.VALID)


class CheckLoginTokenTest(TestCase):
    def test_a_fresh_token_is_valid_for_its_email(self) -> None:
        check = check_login_token(issue_login_token("edith@example.com"))
        self.assertEqual(check.status, LinkStatus.VALID)
        self.assertEqual(check.email, "edith@example.com")

    def test_checking_does_not_use_the_token_up(self) -> None:
        raw = issue_login_token("edith@example.com")
        check_login_token(raw)
        self.assertEqual(check_login_token(raw).status, LinkStatus.VALID)

    def test_unknown_missing_and_malformed_tokens_are_unknown(self) -> None:
        raw = issue_login_token("edith@example.com")
        wrong_verifier = raw[:SELECTOR_LENGTH] + "A" * (len(raw) - SELECTOR_LENGTH)
        for token in [None, "", "abcd123", raw + "x", raw[:-1], wrong_verifier, "\x00" * 59]:
            with self.subTest(token=token):
                check = check_login_token(token)
                self.assertEqual(check.status, LinkStatus.UNKNOWN)
                self.assertIsNone(check.email)

    def test_malformed_tokens_never_reach_the_database(self) -> None:
        # PostgreSQL refuses a NUL in a query parameter: that would be a 500, not "invalid link".
        for token in ["\x00" * 59, "é" * 59, "x" * 10_000, "' OR 1=1 --"]:
            with self.subTest(token=token[:10]), self.assertNumQueries(0):
                self.assertEqual(check_login_token(token).status, LinkStatus.UNKNOWN)

    def test_compares_the_verifier_hash_in_constant_time(self) -> None:
        raw = issue_login_token("edith@example.com")
        with mock.patch("accounts.tokens.hmac.compare_digest", return_value=False) as compare:
            self.assertEqual(check_login_token(raw).status, LinkStatus.UNKNOWN)
        compare.assert_called_once_with(
            Token.objects.get().verifier_hash,
            hashlib.sha256(raw[SELECTOR_LENGTH:].encode()).hexdigest(),
        )

    def test_expires_after_max_age(self) -> None:
        with time_machine.travel(timezone.now(), tick=False) as clock:
            raw = issue_login_token("edith@example.com")
            clock.shift(timedelta(minutes=15))
            self.assertEqual(check_login_token(raw).status, LinkStatus.VALID)
            clock.shift(timedelta(seconds=1))
            self.assertEqual(check_login_token(raw).status, LinkStatus.EXPIRED)

    @override_settings(LOGIN_TOKEN_MAX_AGE=60)
    def test_max_age_is_a_setting(self) -> None:
        with time_machine.travel(timezone.now(), tick=False) as clock:
            raw = issue_login_token("edith@example.com")
            clock.shift(timedelta(seconds=61))
            self.assertEqual(check_login_token(raw).status, LinkStatus.EXPIRED)

    def test_a_used_token_says_so(self) -> None:
        raw = issue_login_token("edith@example.com")
        consume_login_token(raw)
        self.assertEqual(check_login_token(raw).status, LinkStatus.USED)


class ConsumeLoginTokenTest(TestCase):
    def test_returns_the_email_once_only(self) -> None:
        raw = issue_login_token("edith@example.com")
        self.assertEqual(consume_login_token(raw), "edith@example.com")
        self.assertIsNone(consume_login_token(raw))

    def test_records_when_it_was_used(self) -> None:
        raw = issue_login_token("edith@example.com")
        consume_login_token(raw)
        self.assertIsNotNone(Token.objects.get().used_at)

    def test_an_expired_token_is_not_consumed(self) -> None:
        with time_machine.travel(timezone.now(), tick=False) as clock:
            raw = issue_login_token("edith@example.com")
            clock.shift(timedelta(minutes=16))
            self.assertIsNone(consume_login_token(raw))
        self.assertIsNone(Token.objects.get().used_at)

    def test_a_token_used_meanwhile_is_not_consumed_twice(self) -> None:
        raw = issue_login_token("edith@example.com")
        check_before_the_other_request = check_login_token(raw)
        self.assertEqual(consume_login_token(raw), "edith@example.com")  # the other request
        with mock.patch(
            "accounts.tokens.check_login_token", return_value=check_before_the_other_request
        ):
            self.assertIsNone(consume_login_token(raw))


class LeakedTokenTableTest(TestCase):
    """Someone has a copy of the token table (a leak, a backup): none of it logs anyone in."""

    def test_no_stored_value_works_as_a_login_token(self) -> None:
        issue_login_token("edith@example.com")
        issue_login_token("francis@example.com")
        backend = PasswordlessAuthenticationBackend()
        leaked_rows = list(Token.objects.values())
        stored_strings = {str(v) for row in leaked_rows for v in row.values() if v is not None}
        guesses = (
            stored_strings
            | {row["selector"] + row["verifier_hash"] for row in leaked_rows}
            | {row["selector"] + row["verifier_hash"][:43] for row in leaked_rows}
        )
        for guess in sorted(guesses):
            with self.subTest(guess=guess):
                self.assertIsNone(backend.authenticate(None, token=guess))
                response = self.client.post("/accounts/login", data={"token": guess})
                self.assertNotIn("_auth_user_id", self.client.session)
                self.assertRedirects(response, "/", fetch_redirect_response=False)

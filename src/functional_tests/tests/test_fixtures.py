import json
from io import StringIO

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, override_settings

from accounts.models import User
from accounts.tokens import LinkStatus, check_login_token, issue_login_token
from lists.models import List


def run_command(*arguments: str) -> str:
    output = StringIO()
    call_command(*arguments, stdout=output)
    return output.getvalue().strip()


class CreateSessionCommandTest(TestCase):
    def test_prints_the_key_of_a_session_logged_in_as_the_user(self):
        session_key = run_command("create_session", "edith@example.com")
        session = SessionStore(session_key=session_key)
        self.assertEqual(session["_auth_user_id"], "edith@example.com")
        self.assertEqual(session["_auth_user_backend"], settings.AUTHENTICATION_BACKENDS[0])
        self.assertTrue(User.objects.filter(email="edith@example.com").exists())

    def test_works_twice_in_a_row_for_the_same_email(self):
        first = run_command("create_session", "edith@example.com")
        second = run_command("create_session", "edith@example.com")
        self.assertNotEqual(first, second)
        self.assertEqual(User.objects.count(), 1)

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled(self):
        with self.assertRaisesRegex(CommandError, "Test fixtures are disabled on this server"):
            run_command("create_session", "edith@example.com")
        self.assertEqual(User.objects.count(), 0)


class ResetDatabaseCommandTest(TransactionTestCase):
    """Like the real command, outside a transaction: PostgreSQL won't flush inside one."""

    def test_empties_the_data_tables(self):
        user = User.objects.create(email="edith@example.com")
        List.objects.create(owner=user).item_set.create(text="x")
        run_command("reset_database")
        self.assertEqual(User.objects.count(), 0)
        self.assertEqual(List.objects.count(), 0)

    def test_forgets_the_login_email_counts(self):
        cache.set("login-emails:address:some-window:some-hash", 3)
        run_command("reset_database")
        self.assertIsNone(cache.get("login-emails:address:some-window:some-hash"))

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled_and_keeps_the_data(self):
        List.objects.create().item_set.create(text="precious")
        with self.assertRaisesRegex(CommandError, "DJANGO_ENABLE_TEST_FIXTURES"):
            run_command("reset_database")
        self.assertEqual(List.objects.get().name, "precious")


class ExpireLoginLinksCommandTest(TestCase):
    def test_the_addresss_links_expire_and_others_do_not(self):
        edith = issue_login_token("edith@example.com")
        francis = issue_login_token("francis@example.com")
        self.assertEqual(
            run_command("expire_login_links", "edith@example.com"), "1 login link(s) expired"
        )
        self.assertEqual(check_login_token(edith).status, LinkStatus.EXPIRED)
        self.assertEqual(check_login_token(francis).status, LinkStatus.VALID)

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled(self):
        token = issue_login_token("edith@example.com")
        with self.assertRaisesRegex(CommandError, "Test fixtures are disabled on this server"):
            run_command("expire_login_links", "edith@example.com")
        self.assertEqual(check_login_token(token).status, LinkStatus.VALID)


class ServerInfoCommandTest(TestCase):
    @override_settings(ENABLE_TEST_FIXTURES=False, PRODUCTION=True, ALLOWED_HOSTS=["a.example"])
    def test_says_what_the_server_is(self):
        self.assertEqual(
            json.loads(run_command("server_info")),
            {"production_mode": True, "test_fixtures": False, "allowed_hosts": ["a.example"]},
        )

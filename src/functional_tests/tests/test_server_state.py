import json
import tempfile
from io import StringIO
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, override_settings

from accounts.models import User
from accounts.tokens import LinkStatus, check_login_token, issue_login_token
from functional_tests.server_state import FixturesDisabled, reset_database
from lists.models import List
from operations import production_guard
from operations.server_info import server_info


def run_command(*arguments: str) -> str:
    output = StringIO()
    call_command(*arguments, stdout=output)
    return output.getvalue().strip()


class CreateSessionCommandTest(TestCase):
    def test_prints_the_key_of_a_session_logged_in_as_the_user(self) -> None:
        session_key = run_command("create_session", "edith@example.com")
        session = SessionStore(session_key=session_key)
        self.assertEqual(session["_auth_user_id"], "edith@example.com")
        self.assertEqual(session["_auth_user_backend"], settings.AUTHENTICATION_BACKENDS[0])
        self.assertTrue(User.objects.filter(email="edith@example.com").exists())

    def test_works_twice_in_a_row_for_the_same_email(self) -> None:
        first = run_command("create_session", "edith@example.com")
        second = run_command("create_session", "edith@example.com")
        self.assertNotEqual(first, second)
        self.assertEqual(User.objects.count(), 1)

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled(self) -> None:
        with self.assertRaisesRegex(CommandError, "Test fixtures are disabled on this server"):
            run_command("create_session", "edith@example.com")
        self.assertEqual(User.objects.count(), 0)


class ResetDatabaseCommandTest(TransactionTestCase):
    """Like the real command, outside a transaction: PostgreSQL won't flush inside one."""

    def test_empties_the_data_tables(self) -> None:
        user = User.objects.create(email="edith@example.com")
        List.objects.create(owner=user).item_set.create(text="x")
        run_command("reset_database")
        self.assertEqual(User.objects.count(), 0)
        self.assertEqual(List.objects.count(), 0)

    def test_forgets_the_login_email_counts(self) -> None:
        cache.set("emails:login-address:some-window:some-hash", 3)
        run_command("reset_database")
        self.assertIsNone(cache.get("emails:login-address:some-window:some-hash"))

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled_and_keeps_the_data(self) -> None:
        List.objects.create().item_set.create(text="precious")
        with self.assertRaisesRegex(CommandError, "not a staging server"):
            run_command("reset_database")
        self.assertEqual(List.objects.get().name, "precious")

    def test_refuses_where_the_data_may_be_productions_whatever_the_settings_say(self) -> None:
        # The production image with development settings forced on (`env -u DJANGO_DEBUG_FALSE`).
        List.objects.create().item_set.create(text="precious")
        with (
            mock.patch.object(production_guard, "running_in_production_image", return_value=True),
            self.assertRaisesRegex(FixturesDisabled, "not a staging server"),
        ):
            reset_database()
        self.assertEqual(List.objects.get().name, "precious")


class ResetDatabaseForARunTest(TransactionTestCase):
    """The resets of one FT run's tests (a --parallel run's workers share the server)."""

    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()  # the server's /tmp, where the run is noted
        self.addCleanup(directory.cleanup)
        patcher = mock.patch.object(tempfile, "tempdir", directory.name)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_only_the_runs_first_reset_empties_the_tables(self) -> None:
        List.objects.create().item_set.create(text="from an earlier run")
        reset_database("run-1")
        self.assertEqual(List.objects.count(), 0)

        List.objects.create().item_set.create(text="another test's, in this run")
        reset_database("run-1")

        self.assertEqual(List.objects.get().name, "another test's, in this run")

    def test_the_next_run_empties_them_again(self) -> None:
        reset_database("run-1")
        List.objects.create().item_set.create(text="from run 1")
        reset_database("run-2")
        self.assertEqual(List.objects.count(), 0)

    def test_every_reset_of_the_run_forgets_the_login_email_counts(self) -> None:
        reset_database("run-1")
        cache.set("emails:login-address:some-window:some-hash", 3)
        reset_database("run-1")
        self.assertIsNone(cache.get("emails:login-address:some-window:some-hash"))


class ExpireLoginLinksCommandTest(TestCase):
    def test_the_addresss_links_expire_and_others_do_not(self) -> None:
        edith = issue_login_token("edith@example.com")
        francis = issue_login_token("francis@example.com")
        self.assertEqual(
            run_command("expire_login_links", "edith@example.com"), "1 login link(s) expired"
        )
        self.assertEqual(check_login_token(edith).status, LinkStatus.EXPIRED)
        self.assertEqual(check_login_token(francis).status, LinkStatus.VALID)

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_when_fixtures_are_disabled(self) -> None:
        token = issue_login_token("edith@example.com")
        with self.assertRaisesRegex(CommandError, "Test fixtures are disabled on this server"):
            run_command("expire_login_links", "edith@example.com")
        self.assertEqual(check_login_token(token).status, LinkStatus.VALID)


class ServeFixtureCommandsTest(TransactionTestCase):
    """The long-running command the FTs keep open on a staging server, one JSON line each way."""

    def serve(self, *requests: object) -> list[dict[str, Any]]:
        lines = "".join(json.dumps(request) + "\n" for request in requests)
        with mock.patch("sys.stdin", StringIO(lines)):
            output = run_command("serve_fixture_commands")
        greeting, *answers = (json.loads(line) for line in output.splitlines())
        self.assertEqual(greeting, {"ok": True, "server_info": server_info()})
        return answers

    def test_answers_each_request_in_turn(self) -> None:
        List.objects.create().item_set.create(text="left over")
        reset, created = self.serve(["reset_database"], ["create_session", "edith@example.com"])
        self.assertEqual(reset, {"ok": True, "output": "database reset"})
        self.assertEqual(List.objects.count(), 0)
        self.assertTrue(created["ok"])
        session = SessionStore(session_key=created["output"])
        self.assertEqual(session["_auth_user_id"], "edith@example.com")

    def test_runs_only_the_fixture_commands(self) -> None:
        List.objects.create().item_set.create(text="precious")
        (answer,) = self.serve(["flush", "--noinput"])
        self.assertFalse(answer["ok"])
        self.assertIn("'flush' is not one of create_session", answer["error"])
        self.assertEqual(List.objects.count(), 1)

    def test_a_malformed_request_gets_an_error_and_the_next_one_an_answer(self) -> None:
        malformed, good = self.serve("reset_database", ["reset_database"])
        self.assertEqual(
            malformed, {"ok": False, "error": "not a JSON list of strings: '\"reset_database\"'"}
        )
        self.assertTrue(good["ok"])

    def test_a_failing_command_gets_its_error(self) -> None:
        (answer,) = self.serve(["create_session"])
        self.assertFalse(answer["ok"])
        self.assertIn("email", answer["error"])

    @override_settings(ENABLE_TEST_FIXTURES=False)
    def test_refuses_to_start_when_fixtures_are_disabled(self) -> None:
        List.objects.create().item_set.create(text="precious")
        with self.assertRaisesRegex(CommandError, "Test fixtures are disabled on this server"):
            self.serve(["reset_database"])
        self.assertEqual(List.objects.count(), 1)


class ServerInfoCommandTest(TestCase):
    @override_settings(ENABLE_TEST_FIXTURES=False, PRODUCTION=True, ALLOWED_HOSTS=["a.example"])
    def test_says_what_the_server_is(self) -> None:
        self.assertEqual(
            json.loads(run_command("server_info")),
            {"production_mode": True, "test_fixtures": False, "allowed_hosts": ["a.example"]},
        )

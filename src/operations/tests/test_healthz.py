import shutil
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

from django.db import OperationalError, connection
from django.test import TestCase, override_settings

from operations import views

DRIVER_MESSAGE = 'connection to server at "db.internal" (10.0.0.7), port 5432 failed'


def database_down() -> "mock._patch[mock.MagicMock]":
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError(DRIVER_MESSAGE),
    )


def with_no_outage_seen(test: TestCase) -> None:
    """The health log as a new process's: no outage told of yet (another test's is not ours)."""
    patcher = mock.patch.object(views, "DATABASE_HEALTH", views.DatabaseHealth())
    patcher.start()
    test.addCleanup(patcher.stop)


class HealthzTest(TestCase):
    def setUp(self) -> None:
        with_no_outage_seen(self)

    def test_answers_ok_when_the_database_answers(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertEqual(response["Content-Type"], "text/plain")

    def test_answers_503_with_a_status_word_only_and_logs_the_cause(self) -> None:
        with database_down(), self.assertLogs("operations.views", "ERROR") as logs:
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.content, b"unavailable\n")
        self.assertIn(DRIVER_MESSAGE, logs.output[0])

    def test_an_outage_is_logged_once_and_its_end_once(self) -> None:
        with self.assertLogs("operations.views", "WARNING") as logs:
            with database_down():
                statuses = [self.client.get("/healthz").status_code for _ in range(3)]
            statuses += [self.client.get("/healthz").status_code for _ in range(2)]
        self.assertEqual(statuses, [503, 503, 503, 200, 200])
        self.assertEqual([line.split(":")[0] for line in logs.output], ["ERROR", "WARNING"])
        self.assertIn("passes again", logs.output[1])

    def test_answers_503_while_a_newer_release_takes_over(self) -> None:
        with mock.patch("operations.views.DRAINING") as draining:
            draining.exists.return_value = True
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.content, b"draining\n")

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_is_not_redirected_to_https_for_the_proxys_plain_http_checks(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        self.assertEqual(self.client.get("/").status_code, 301)


class SQLiteFileGoneTest(TestCase):
    """A server whose SQLite file is deleted (or whose mount goes) keeps an open connection that
    still answers, on a file nobody else can reach: the health check must notice."""

    def setUp(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's file only")
        with_no_outage_seen(self)
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        self.path = directory / "db.sqlite3"
        with sqlite3.connect(self.path) as database:
            database.execute("CREATE TABLE django_migrations (id INTEGER)")
        self.database = sqlite3.connect(self.path)
        self.addCleanup(self.database.close)

    def health_of_server_on_that_file(self) -> int:
        settings_dict = {**connection.settings_dict, "NAME": str(self.path)}
        with (
            mock.patch.dict(connection.settings_dict, settings_dict),
            mock.patch.object(connection, "connection", self.database),
        ):
            return int(self.client.get("/healthz").status_code)

    def test_ok_while_the_file_is_there(self) -> None:
        self.assertEqual(self.health_of_server_on_that_file(), 200)

    def test_503_once_the_file_is_deleted_under_an_open_connection(self) -> None:
        self.path.unlink()
        self.database.execute("SELECT COUNT(*) FROM django_migrations")  # still answers
        with self.assertLogs("operations.views", "ERROR") as logs:
            self.assertEqual(self.health_of_server_on_that_file(), 503)
        self.assertIn(str(self.path), logs.output[0])

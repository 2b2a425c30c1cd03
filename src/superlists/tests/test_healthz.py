from unittest import mock

from django.db import OperationalError
from django.test import TestCase, override_settings


class HealthzTest(TestCase):
    def test_answers_ok_when_the_database_answers(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertEqual(response["Content-Type"], "text/plain")

    def test_answers_503_naming_the_cause_when_the_database_does_not(self) -> None:
        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute",
            side_effect=OperationalError("no such table: django_migrations"),
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertIn(b"no such table: django_migrations", response.content)

    def test_answers_503_while_a_newer_release_takes_over(self) -> None:
        with mock.patch("superlists.views.DRAINING") as draining:
            draining.exists.return_value = True
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertIn(b"draining", response.content)

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_is_not_redirected_to_https_for_the_proxys_plain_http_checks(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        self.assertEqual(self.client.get("/").status_code, 301)

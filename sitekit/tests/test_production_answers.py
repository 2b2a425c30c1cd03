"""What production's gunicorn answers to hostile or unlucky requests: our own 400 page with our
headers for a form it cannot read (it answered a bare 500), and a 503 health check once its
SQLite file has gone (its open connections still answered)."""

import tempfile
import unittest
from pathlib import Path

import requests

from sitekit.gunicorn_server import gunicorn_serving
from sitekit.instances import instances_env


class ProductionServerTestCase(unittest.TestCase):
    """Production's gunicorn on a SQLite file of its own, for the tests of one class."""

    base_url: str
    database: Path

    @classmethod
    def setUpClass(cls) -> None:
        directory = Path(cls.enterClassContext(tempfile.TemporaryDirectory()))
        cls.database = directory / "db.sqlite3"
        env, _mailbox = cls.enterClassContext(instances_env({"DJANGO_DB_PATH": str(cls.database)}))
        cls.base_url = cls.enterClassContext(gunicorn_serving(env)).base_url


class UnreadableFormTest(ProductionServerTestCase):
    def test_a_form_in_another_charset_is_our_400_page_with_our_headers(self) -> None:
        for path in ["/lists/new", "/accounts/send_login_email", "/accounts/login"]:
            with self.subTest(path=path):
                response = requests.post(
                    self.base_url + path,
                    data="text=hello&email=a%40b.com",
                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=latin-1"},
                    timeout=10,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("Bad request", response.text)
                self.assertIn("default-src 'self'", response.headers["Content-Security-Policy"])
                self.assertEqual(response.headers["X-Frame-Options"], "DENY")


class DatabaseFileGoneTest(ProductionServerTestCase):
    def test_the_health_check_fails_once_the_database_file_is_deleted(self) -> None:
        healthz = f"{self.base_url}/healthz"
        for _ in range(4):  # every worker opens its connection, which outlives the file
            self.assertEqual(requests.get(healthz, timeout=10).text, "ok\n")
        for path in self.database.parent.glob("db.sqlite3*"):
            path.unlink()
        for _ in range(4):
            response = requests.get(healthz, timeout=10)
            self.assertEqual((response.status_code, response.text), (503, "unavailable\n"))

"""The app under concurrent load, on real gunicorn instances: nothing lost, no 5xx.

The instances send their email to a real SMTP server here, which the load test reads the login
links from.

LOADTEST_SECONDS sets how long each run lasts (default 3: CI's short version).
The instances are gunicorn with production's settings (gunicorn.conf.py: 2 sync workers each).
The PostgreSQL tests (tagged "postgres": scripts/test leaves them out) need DATABASE_URL to name
a database they may fill (scripts/test-postgres makes one); without it they fail, saying so.
"""

import os
import tempfile
import unittest
from pathlib import Path

from django.test import tag

from loadtest.run import run_load
from sitekit.gunicorn_server import gunicorn_serving
from sitekit.instances import instances_env
from sitekit.mail_sink import KeepMessages
from sitekit.production_env import postgres_url_for_tests

SECONDS = float(os.environ.get("LOADTEST_SECONDS", "3"))


class SqliteUnderLoadTest(unittest.TestCase):
    def test_several_workers_on_one_sqlite_file_lose_nothing(self):
        with tempfile.TemporaryDirectory() as directory:
            database = {"DJANGO_DB_PATH": str(Path(directory) / "db.sqlite3")}
            with instances_env(database) as (env, mailbox), gunicorn_serving(env) as server:
                report = run_load([server.base_url], mailbox, clients=8, seconds=SECONDS)
        print(f"\nSQLite, one gunicorn with production's workers:\n{report.summary()}")
        self.assertTrue(report.ok, report.summary())


@tag("postgres")
class PostgresTwoInstancesTest(unittest.TestCase):
    mailbox: KeepMessages
    env: dict[str, str]

    @classmethod
    def setUpClass(cls) -> None:
        database = {"DATABASE_URL": postgres_url_for_tests()}
        cls.env, cls.mailbox = cls.enterClassContext(instances_env(database))

    def test_two_instances_sharing_one_database_lose_nothing(self):
        with gunicorn_serving(self.env) as a, gunicorn_serving(self.env) as b:
            report = run_load([a.base_url, b.base_url], self.mailbox, clients=8, seconds=SECONDS)
        print(f"\nPostgreSQL, two instances of production's gunicorn:\n{report.summary()}")
        self.assertTrue(report.ok, report.summary())

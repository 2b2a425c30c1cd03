"""The app under concurrent load, on real gunicorn instances: nothing lost, no 5xx.

The instances send their email to a real SMTP server here, which the load test reads the login
links from.

LOADTEST_SECONDS sets how long each run lasts (default 3: CI's short version).
The PostgreSQL tests need DATABASE_URL to name a database they may fill (scripts/test-postgres
makes one); without it they fail, saying so.
"""

import os
import tempfile
import unittest
from pathlib import Path

from loadtest.mail_sink import mail_sink
from loadtest.run import run_load
from loadtest.servers import gunicorn, postgres_url_for_tests, prepare, production_env

SECONDS = float(os.environ.get("LOADTEST_SECONDS", "3"))


class SqliteUnderLoadTest(unittest.TestCase):
    def test_several_workers_on_one_sqlite_file_lose_nothing(self):
        with tempfile.TemporaryDirectory() as directory, mail_sink() as (port, mailbox):
            env = production_env(
                {"DJANGO_DB_PATH": str(Path(directory) / "db.sqlite3")}, EMAIL_PORT=str(port)
            )
            env.pop("DATABASE_URL", None)
            prepare(env)
            with gunicorn(env, workers=4) as url:
                report = run_load([url], mailbox, clients=8, seconds=SECONDS)
        print(f"\nSQLite, one gunicorn with 4 workers:\n{report.summary()}")
        self.assertTrue(report.ok, report.summary())


class PostgresTwoInstancesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        database_url = postgres_url_for_tests()
        port, cls.mailbox = cls.enterClassContext(mail_sink())
        cls.env = production_env({"DATABASE_URL": database_url}, EMAIL_PORT=str(port))
        prepare(cls.env)

    def test_two_instances_sharing_one_database_lose_nothing(self):
        with gunicorn(self.env, workers=2) as url_a, gunicorn(self.env, workers=2) as url_b:
            report = run_load([url_a, url_b], self.mailbox, clients=8, seconds=SECONDS)
        print(f"\nPostgreSQL, two instances with 2 workers each:\n{report.summary()}")
        self.assertTrue(report.ok, report.summary())

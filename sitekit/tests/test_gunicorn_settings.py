"""gunicorn.conf.py holds production's gunicorn settings, and the benchmark and the load test
serve with exactly those: only the bind address moves. (That the image runs with this file is
checked with the Dockerfile, in infra/tests/test_deploy_files.py.)"""

import os
import runpy
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import requests
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config

from sitekit import config
from sitekit.gunicorn_server import gunicorn_command, gunicorn_serving

CEILING_APP = "bench.ceiling_app:application"
# The image's CMD, with this checkout's configuration file (the image copies it elsewhere).
PRODUCTION_COMMAND = ["gunicorn", "-c", str(config.GUNICORN_CONF), "superlists.wsgi:application"]


def gunicorn_settings_for(command: list[str]) -> Config:
    """The settings gunicorn itself makes of ``command`` (after its ``-m gunicorn``)."""
    arguments = command[command.index("gunicorn") :]
    environ = {k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"}
    with (
        mock.patch.object(sys, "argv", arguments),
        mock.patch.dict(os.environ, environ, clear=True),
    ):
        return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


class ConfigurationFileTest(unittest.TestCase):
    def test_every_name_in_it_is_a_gunicorn_setting(self) -> None:
        # gunicorn ignores names it does not know: a misspelt setting would silently not apply.
        names = {name for name in runpy.run_path(str(config.GUNICORN_CONF)) if name[0] != "_"}
        self.assertLessEqual(names, set(Config().settings))

    def test_production_settings_two_sync_workers_on_port_8888_no_access_log(self) -> None:
        # The app logs each request itself (observability.request_logging), better than gunicorn.
        settings = gunicorn_settings_for(PRODUCTION_COMMAND)
        self.assertEqual(settings.bind, [":8888"])
        self.assertEqual((settings.worker_class_str, settings.workers), ("sync", 2))
        self.assertIsNone(settings.accesslog)
        self.assertEqual(settings.errorlog, "-")
        self.assertTrue(settings.control_socket_disable)


class BenchmarkServerTest(unittest.TestCase):
    def test_serves_with_the_configuration_file_only_moving_the_bind(self) -> None:
        command = gunicorn_command("127.0.0.1:5000", "app:wsgi")
        self.assertEqual(
            command,
            [sys.executable, "-m", "gunicorn", "--config", str(config.GUNICORN_CONF),
             "--bind", "127.0.0.1:5000", "app:wsgi"],
        )  # fmt: skip
        settings = gunicorn_settings_for(command)
        self.assertEqual(settings.bind, ["127.0.0.1:5000"])
        self.assertEqual((settings.workers, settings.accesslog), (2, None))

    def test_a_login_token_in_a_query_string_stays_out_of_the_log(self) -> None:
        # The ceiling app (no database, no static files, no logging) answers 404 at
        # /accounts/login: what this checks is gunicorn's own output, whatever the app answers.
        with tempfile.TemporaryDirectory() as directory:
            log_path = Path(directory) / "gunicorn.log"
            with gunicorn_serving(os.environ, CEILING_APP, log_path) as server:
                url = f"{server.base_url}/accounts/login?token=SECRET"
                requests.get(url, headers={"Referer": url}, timeout=10)
            log = log_path.read_text()
        self.assertNotIn("SECRET", log)
        self.assertNotIn("/accounts/login", log)  # no access log
        self.assertEqual(log.count("Booting worker"), 2, log)  # production's 2, not 4


if __name__ == "__main__":
    unittest.main()

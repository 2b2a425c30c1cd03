"""Production can never be wiped: both layers proven on the stand-in's fake production host.

The fake production host (config.PRODUCTION_HOST) is deployed by the same playbook with production's
configuration: no staging marker is mounted into its container.
"""

import os
import re
import subprocess
import sys
import unittest

from functional_tests.servers import ProductionTargetRefused, StagingServer
from infra.staging_tests.remote import (
    PRODUCTION_CONTAINER,
    PRODUCTION_URL,
    page_text,
    ssh,
    start_list,
)
from infra.standin import config


class ProductionGuardsTest(unittest.TestCase):
    precious_list: str  # the path of a list made on production before the tests

    @classmethod
    def setUpClass(cls) -> None:
        cls.precious_list = start_list(PRODUCTION_URL, "Precious production data")

    def tearDown(self) -> None:
        # Whatever each test tried, production's data is still there.
        page = page_text(PRODUCTION_URL, self.precious_list)
        self.assertIn("1: Precious production data", page)

    def production_target(self, **environ: str) -> StagingServer:
        server = StagingServer(
            config.PRODUCTION_HOST, {"TEST_SERVER_CONTAINER": PRODUCTION_CONTAINER, **environ}
        )
        self.addCleanup(server.close)
        return server

    def test_client_refuses_a_host_matching_the_production_pattern(self) -> None:
        server = self.production_target(FT_PRODUCTION_HOSTS=re.escape(config.PRODUCTION_HOST))
        with self.assertRaisesRegex(ProductionTargetRefused, "matches FT_PRODUCTION_HOSTS"):
            server.reset()
        with self.assertRaisesRegex(ProductionTargetRefused, "matches FT_PRODUCTION_HOSTS"):
            server.create_session("mallory@example.com")

    def test_client_refuses_when_the_server_says_it_is_not_staging(self) -> None:
        server = self.production_target()  # an operator who forgot FT_PRODUCTION_HOSTS
        with self.assertRaisesRegex(ProductionTargetRefused, "test fixtures are disabled"):
            server.reset()
        with self.assertRaisesRegex(ProductionTargetRefused, "test fixtures are disabled"):
            server.create_session("mallory@example.com")

    def test_server_refuses_even_when_the_client_checks_are_bypassed(self) -> None:
        for command in [
            "reset_database",
            "create_session mallory@example.com",
            "serve_fixture_commands",
        ]:
            with self.subTest(command=command):
                result = ssh(
                    config.PRODUCTION_HOST,
                    f"docker exec {PRODUCTION_CONTAINER} python manage.py {command}",
                )
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("Unknown command", result.stderr)

    def test_the_fixture_guard_holds_even_with_the_app_forced_in(self) -> None:
        # Someone calls the FT fixtures on production by hand: they still refuse.
        result = ssh(
            config.PRODUCTION_HOST,
            f"docker exec {PRODUCTION_CONTAINER} python manage.py shell -c "
            "'from functional_tests.server_state import reset_database; reset_database()'",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Test fixtures are disabled on this server", result.stderr)

    def test_no_docker_exec_switches_the_fixtures_on(self) -> None:
        # The variable that once enabled them, passed by hand, changes nothing.
        result = ssh(
            config.PRODUCTION_HOST,
            f"docker exec -e DJANGO_ENABLE_TEST_FIXTURES=1 {PRODUCTION_CONTAINER} "
            "python manage.py reset_database",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Unknown command", result.stderr)
        # Nor can anyone inside the container, root included, make the staging marker appear.
        result = ssh(
            config.PRODUCTION_HOST,
            f"docker exec -u root {PRODUCTION_CONTAINER} "
            "sh -c 'mkdir -p /etc/superlists && touch /etc/superlists/staging'",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Read-only file system", result.stderr)

    def test_no_environment_or_settings_module_makes_a_bulk_delete_run(self) -> None:
        # Each an operator's slip on production (issue 18: the first one emptied it). The image
        # runs production settings whatever its environment, and the code that would do the
        # damage refuses without the staging marker mounted.
        development = "env -u DJANGO_DEBUG_FALSE DATABASE_URL=sqlite:////data/db.sqlite3"
        routes = {
            "development settings": f"{development} python manage.py reset_database",
            "development settings, flush": f"{development} python manage.py flush --noinput",
            "development settings, the fixture function": f"{development} python manage.py "
            "shell -c 'from functional_tests.server_state import reset_database; "
            "reset_database()'",
            "an empty environment": "env -i /venv/bin/python manage.py reset_database",
            "an empty environment, flush": "env -i DJANGO_DB_PATH=/data/db.sqlite3 "
            "/venv/bin/python manage.py flush --noinput",
            "Django's flush": "python manage.py flush --noinput",
            "Django's flush, python -m django": "python -m django flush --noinput "
            "--settings=superlists.settings",
            "unapplying every migration": "python manage.py migrate lists zero",
            "another settings module": "env DJANGO_SETTINGS_MODULE=django.conf.global_settings "
            "python manage.py flush --noinput",
            "another settings module on the command line": "python manage.py flush --noinput "
            "--settings=django.conf.global_settings",
            "the settings module again, without DJANGO_DEBUG_FALSE": "env -u DJANGO_DEBUG_FALSE "
            "python manage.py reset_database --settings=superlists.settings",
        }
        for route, command in routes.items():
            with self.subTest(route=route):
                result = ssh(
                    config.PRODUCTION_HOST, f"docker exec {PRODUCTION_CONTAINER} {command}"
                )
                self.assertNotEqual(result.returncode, 0, result.stdout)
                self.assertNotIn("database reset", result.stdout)
                page = page_text(PRODUCTION_URL, self.precious_list)
                self.assertIn("1: Precious production data", page)

    def test_the_ft_suite_pointed_at_production_refuses_to_run(self) -> None:
        result = subprocess.run(
            [sys.executable, "src/manage.py", "test", "functional_tests.test_simple_list_creation"],
            cwd=config.REPO_ROOT,
            env={
                **os.environ,
                "TEST_SERVER": config.PRODUCTION_HOST,
                "TEST_SERVER_CONTAINER": PRODUCTION_CONTAINER,
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ProductionTargetRefused", result.stderr)
        self.assertNotIn(" passed, 0 failed", result.stdout)

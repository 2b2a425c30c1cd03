import os
import subprocess
import sys
from pathlib import Path

from django.core.checks import Warning
from django.test import SimpleTestCase, override_settings

from superlists.checks import EMAIL_PASSWORD_MISSING, check_email_password

SRC = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG_FALSE": "1",
    "DJANGO_SECRET_KEY": "a-test-secret",
    "DJANGO_ALLOWED_HOST": "superlists.example.com",
    "DJANGO_DB_PATH": "/tmp/superlists-settings-test.sqlite3",
    "EMAIL_HOST": "smtp.example.com",
    "EMAIL_HOST_USER": "noreply@example.com",
    "EMAIL_PASSWORD": "a-test-password",
}

# Set by scripts/test-postgres for the test run itself; the settings under test start without.
SERVICE_URLS = {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}


def run_python(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python in src/ in a new process, which reads the settings afresh from ``env``."""
    clean_env = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION_ENV, *SERVICE_URLS}}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=SRC,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run_python(["manage.py", "check"], env)


class ProductionSettingsTest(SimpleTestCase):
    def test_complete_production_environment_starts(self):
        result = run_check(PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_each_missing_required_variable_is_named_at_start_up(self):
        for name in [
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOST",
            "DJANGO_DB_PATH",
            "EMAIL_HOST",
            "EMAIL_HOST_USER",
        ]:
            with self.subTest(name=name):
                env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
                result = run_check(env)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"needs the environment variable {name}", result.stderr)

    def test_missing_email_password_is_a_start_up_warning_not_a_crash(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_PASSWORD"}
        result = run_check(env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(EMAIL_PASSWORD_MISSING, result.stderr)
        self.assertIn("EMAIL_PASSWORD is not set", result.stderr)

    def test_fixture_commands_exist_only_where_the_env_file_enables_them(self):
        def commands(env: dict[str, str]) -> list[str]:
            return run_python(["manage.py", "help", "--commands"], env).stdout.split()

        production = commands(PRODUCTION_ENV)
        self.assertIn("server_info", production)
        self.assertNotIn("create_session", production)
        self.assertNotIn("reset_database", production)
        staging = commands({**PRODUCTION_ENV, "DJANGO_ENABLE_TEST_FIXTURES": "1"})
        self.assertIn("create_session", staging)
        self.assertIn("reset_database", staging)


class EmailPasswordCheckTest(SimpleTestCase):
    @override_settings(PRODUCTION=True, EMAIL_HOST_PASSWORD="", EMAIL_HOST="h", EMAIL_HOST_USER="u")
    def test_warns_in_production_without_password(self):
        warnings = check_email_password()
        self.assertEqual(len(warnings), 1)
        self.assertIsInstance(warnings[0], Warning)

    @override_settings(PRODUCTION=True, EMAIL_HOST_PASSWORD="secret")
    def test_quiet_in_production_with_password(self):
        self.assertEqual(check_email_password(), [])

    @override_settings(PRODUCTION=False)
    def test_quiet_in_development(self):
        self.assertEqual(check_email_password(), [])


class StartUpWarningTest(SimpleTestCase):
    def test_wsgi_start_up_logs_a_missing_email_password(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_PASSWORD"}
        result = run_python(["-c", "import superlists.wsgi"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("WARNING", result.stderr)
        self.assertIn("EMAIL_PASSWORD is not set", result.stderr)

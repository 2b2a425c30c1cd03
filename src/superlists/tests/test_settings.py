import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.checks import Warning
from django.test import SimpleTestCase, override_settings

from operations.checks import EMAIL_PASSWORD_MISSING, check_email_password

SRC = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG_FALSE": "1",
    "DJANGO_SECRET_KEY": "a-test-secret",
    "DJANGO_ALLOWED_HOST": "superlists.example.com",
    "DJANGO_DB_PATH": "/tmp/superlists-settings-test.sqlite3",
    "EMAIL_HOST": "smtp.example.com",
    "EMAIL_HOST_USER": "noreply@example.com",
    "EMAIL_PASSWORD": "a-test-password",
    "SITE_URL": "https://superlists.example.com",
}

# Every variable the settings read, named in settings.py as "NAME". The settings under test see
# none of them from the test run's own environment (scripts/test-postgres's DATABASE_URL,
# scripts/test's second pass with SUPERLISTS_SPEEDUPS=0, a developer's own), so that a test's
# ``env`` is all they get and a test of a default sees the default.
SETTINGS_SOURCE = (SRC / "superlists" / "settings.py").read_text()


def read_by_the_settings(name: str) -> bool:
    return f'"{name}"' in SETTINGS_SOURCE


def run_python(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run Python in src/ in a new process, which reads the settings afresh from ``env``."""
    clean_env = {k: v for k, v in os.environ.items() if not read_by_the_settings(k)}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=SRC,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(["manage.py", "check"], env)


class SettingsUnderTestTest(SimpleTestCase):
    def test_the_test_runs_own_settings_variables_do_not_reach_them(self) -> None:
        callers = {"SUPERLISTS_SPEEDUPS": "0", "DJANGO_LOG_FORMAT": "json", "SITE_URL": "http://x"}
        with mock.patch.dict(os.environ, callers):
            seen = settings_in({}, "SPEEDUPS", "LOG_FORMAT", "SITE_URL")
        self.assertEqual(seen, {"SPEEDUPS": True, "LOG_FORMAT": "plain", "SITE_URL": ""})

    def test_a_tests_own_env_does(self) -> None:
        with mock.patch.dict(os.environ, {"SUPERLISTS_SPEEDUPS": "1"}):
            self.assertFalse(settings_in({"SUPERLISTS_SPEEDUPS": "0"}, "SPEEDUPS")["SPEEDUPS"])


class ProductionSettingsTest(SimpleTestCase):
    def test_complete_production_environment_starts(self) -> None:
        result = run_check(PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_each_missing_required_variable_is_named_at_start_up(self) -> None:
        for name in [
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOST",
            "DJANGO_DB_PATH",
            "EMAIL_HOST",
            "EMAIL_HOST_USER",
            "SITE_URL",
        ]:
            with self.subTest(name=name):
                env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
                result = run_check(env)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"needs the environment variable {name}", result.stderr)

    def test_a_malformed_number_is_named_at_start_up(self) -> None:
        result = run_check({**PRODUCTION_ENV, "EMAIL_PORT": "58 7"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("EMAIL_PORT='58 7' must be a whole number", result.stderr)

    def test_missing_email_password_is_a_start_up_warning_not_a_crash(self) -> None:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_PASSWORD"}
        result = run_check(env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(EMAIL_PASSWORD_MISSING, result.stderr)
        self.assertIn("EMAIL_PASSWORD is not set", result.stderr)

    def test_no_environment_variable_installs_the_fixture_commands(self) -> None:
        # Only the staging marker file does (proved on the stand-in staging host by
        # infra/staging_tests); the variable that once did is now ignored.
        def commands(env: dict[str, str]) -> list[str]:
            return run_python(["manage.py", "help", "--commands"], env).stdout.split()

        for env in [PRODUCTION_ENV, {**PRODUCTION_ENV, "DJANGO_ENABLE_TEST_FIXTURES": "1"}]:
            with self.subTest(env=env):
                production = commands(env)
                self.assertIn("server_info", production)
                self.assertNotIn("create_session", production)
                self.assertNotIn("reset_database", production)
                self.assertNotIn("expire_login_links", production)

    def test_site_url_must_be_a_scheme_and_host_only(self) -> None:
        for site_url in [
            "superlists.example.com",
            "https://superlists.example.com/lists",
            "ftp://x",
        ]:
            with self.subTest(site_url=site_url):
                result = run_check({**PRODUCTION_ENV, "SITE_URL": site_url})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("must be a scheme and host only", result.stderr)

    def test_a_number_setting_that_is_not_a_number_is_named(self) -> None:
        result = run_check({**PRODUCTION_ENV, "LOGIN_TOKEN_MAX_AGE": "15min"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("LOGIN_TOKEN_MAX_AGE='15min' must be a whole number", result.stderr)


def settings_in(env: dict[str, str], *names: str) -> dict[str, Any]:
    """The values of the settings ``names`` in a new process started with ``env``."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}))"
    )
    result = run_python(["manage.py", "shell", "--verbosity", "0", "-c", code], env)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    return values


# check --deploy rightly warns that a key like PRODUCTION_ENV's is weak; the deploy generates these.
STRONG_SECRET_KEY = secrets.token_urlsafe(50)
HTTPS_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}


class DeployCheckTest(SimpleTestCase):
    """``manage.py check --deploy`` in production mode.

    Behind TLS (DJANGO_HTTPS=1) it is clean. Without it, as on the plain-HTTP stand-in staging
    server, it warns about the four HTTPS settings (HSTS, redirect, secure session and CSRF
    cookies) and nothing else: turning those on over HTTP would stop anyone logging in there.
    """

    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": STRONG_SECRET_KEY}

    def deploy_check(self, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    def test_clean_behind_tls(self) -> None:
        # Its two warnings about HSTS options left off by choice are silenced (see settings).
        result = self.deploy_check({**self.env, "DJANGO_HTTPS": "1"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues (2 silenced)", result.stdout)

    def test_clean_behind_tls_with_every_hsts_option_on(self) -> None:
        opted_in = {"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_HSTS_PRELOAD": "1"}
        result = self.deploy_check({**self.env, "DJANGO_HTTPS": "1", **opted_in})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues (0 silenced)", result.stdout)

    def test_over_plain_http_only_the_https_settings_are_warned_about(self) -> None:
        result = self.deploy_check(self.env)
        self.assertEqual(set(re.findall(r"\((\w+\.W\d+)\)", result.stderr)), HTTPS_WARNINGS)


class HttpsSettingsTest(SimpleTestCase):
    names = (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    )

    def test_plain_http_by_default_so_staging_still_works(self) -> None:
        self.assertEqual(
            settings_in(PRODUCTION_ENV, *self.names),
            {
                "SECURE_SSL_REDIRECT": False,
                "SESSION_COOKIE_SECURE": False,
                "CSRF_COOKIE_SECURE": False,
                "SECURE_HSTS_SECONDS": 0,
                "SECURE_PROXY_SSL_HEADER": None,
            },
        )

    def test_https_turns_on_the_redirect_hsts_and_secure_cookies(self) -> None:
        values = settings_in({**PRODUCTION_ENV, "DJANGO_HTTPS": "1"}, *self.names)
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 365 * 24 * 3600)
        self.assertTrue(values["SECURE_SSL_REDIRECT"])
        self.assertTrue(values["SESSION_COOKIE_SECURE"])
        self.assertTrue(values["CSRF_COOKIE_SECURE"])

    def test_hsts_covers_neither_subdomains_nor_preloading_unless_asked(self) -> None:
        names = ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
        https = {**PRODUCTION_ENV, "DJANGO_HTTPS": "1"}
        self.assertEqual(set(settings_in(https, *names).values()), {False})
        opted_in = {**https, "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_HSTS_PRELOAD": "1"}
        self.assertEqual(set(settings_in(opted_in, *names).values()), {True})
        # Without HTTPS there is no HSTS header to add them to.
        plain_http = {**opted_in, "DJANGO_HTTPS": "0"}
        self.assertEqual(set(settings_in(plain_http, *names).values()), {False})

    def test_hsts_duration_is_a_setting(self) -> None:
        env = {**PRODUCTION_ENV, "DJANGO_HTTPS": "1", "DJANGO_HSTS_SECONDS": "3600"}
        self.assertEqual(settings_in(env, "SECURE_HSTS_SECONDS")["SECURE_HSTS_SECONDS"], 3600)

    def test_x_forwarded_proto_is_believed_only_behind_a_proxy(self) -> None:
        env = {**PRODUCTION_ENV, "DJANGO_REVERSE_PROXIES": "1"}
        self.assertEqual(
            settings_in(env, "SECURE_PROXY_SSL_HEADER")["SECURE_PROXY_SSL_HEADER"],
            ["HTTP_X_FORWARDED_PROTO", "https"],
        )


class EmailPasswordCheckTest(SimpleTestCase):
    @override_settings(PRODUCTION=True, EMAIL_HOST_PASSWORD="", EMAIL_HOST="h", EMAIL_HOST_USER="u")
    def test_warns_in_production_without_password(self) -> None:
        warnings = check_email_password()
        self.assertEqual(len(warnings), 1)
        self.assertIsInstance(warnings[0], Warning)

    @override_settings(PRODUCTION=True, EMAIL_HOST_PASSWORD="secret")
    def test_quiet_in_production_with_password(self) -> None:
        self.assertEqual(check_email_password(), [])

    @override_settings(PRODUCTION=False)
    def test_quiet_in_development(self) -> None:
        self.assertEqual(check_email_password(), [])


class StartUpWarningTest(SimpleTestCase):
    def test_wsgi_start_up_logs_a_missing_email_password(self) -> None:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_PASSWORD"}
        result = run_python(["-c", "import superlists.wsgi"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("WARNING", result.stderr)
        self.assertIn("EMAIL_PASSWORD is not set", result.stderr)

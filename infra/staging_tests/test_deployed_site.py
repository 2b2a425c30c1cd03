"""The deploy, checked on the stand-in staging host (needs `python -m infra.standin up` and a
deploy: scripts/test-staging does both)."""

import json
import re
import secrets
import shlex
import unittest
from datetime import UTC, datetime

import requests

from accounts.views import CHECK_YOUR_EMAIL, LOGIN_EMAIL_SUBJECT
from functional_tests.base import wait
from functional_tests.mailbox import wait_for_email
from infra.staging_tests.remote import (
    STAGING_UNCHANGED,
    STAGING_URL,
    deploy_to,
    page_text,
    ssh,
    start_list,
    submit_on_home_page,
)
from infra.standin import config
from infra.standin.mail.probe import stand_in_mailbox


def must_search(pattern: str, text: str) -> re.Match[str]:
    """The first match of ``pattern`` (``^`` and ``$`` at each line) in ``text``, which must
    have one. The text is not in the failure's message: it may hold secrets."""
    match = re.search(pattern, text, re.MULTILINE)
    if match is None:
        raise AssertionError(f"Nothing matches {pattern!r}")
    return match


def lines_with(text: str, command: str) -> list[str]:
    """The lines of ``command``'s output and errors, run on staging, that contain ``text``."""
    result = ssh(config.STAGING_HOST, command)
    return [line for line in (result.stdout + result.stderr).splitlines() if text in line]


class DeployedSiteTest(unittest.TestCase):
    def test_home_page_comes_from_the_app_in_the_container_through_the_proxy(self) -> None:
        response = requests.get(STAGING_URL + "/", timeout=10)
        self.assertIn("Start a new To-Do list", response.text)
        # One Server header, the proxy's: gunicorn's is dropped (a joined "Caddy, gunicorn"
        # would fail here); and one request ID (a joined "id, id" would fail below). The app's
        # own log line for the request, found by that ID, shows the container served it; the
        # proxy's access log has the same ID.
        self.assertEqual(response.headers["Server"], "Caddy")
        request_id = response.headers["X-Request-ID"]
        self.assertRegex(request_id, r"^[0-9a-f-]{36}$")

        @wait  # the containers' logs reach `docker logs` a moment after the response
        def both_logged_it() -> None:
            app_lines = lines_with(request_id, "docker logs superlists")
            self.assertTrue(any(" GET / 200 " in line for line in app_lines), app_lines)
            proxy_lines = lines_with(request_id, "docker logs superlists-proxy")
            self.assertEqual(len(proxy_lines), 1, proxy_lines)
            self.assertEqual(json.loads(proxy_lines[0])["status"], 200)

        both_logged_it()

    def test_static_files_have_hashed_names_compression_and_far_future_caching(self) -> None:
        page = requests.get(STAGING_URL + "/", timeout=10).text
        css_path = re.search(r"/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", page)
        if css_path is None:
            self.fail("no hashed name for Bootstrap's CSS in the home page")
        for accepted, sent in [("gzip, deflate, br", "br"), ("gzip", "gzip")]:
            with self.subTest(accept_encoding=accepted):
                response = requests.get(
                    STAGING_URL + css_path.group(0),
                    headers={"Accept-Encoding": accepted},
                    timeout=10,
                    stream=True,  # as sent: requests would decode it
                )
                self.assertEqual(response.headers["Content-Encoding"], sent)
                self.assertIn("immutable", response.headers["Cache-Control"])

    def test_container_logs_show_gunicorn_starting(self) -> None:
        logs = ssh(config.STAGING_HOST, "docker logs superlists")
        self.assertEqual(logs.returncode, 0, logs.stderr)
        self.assertIn("Starting gunicorn", logs.stdout + logs.stderr)

    def test_container_runs_as_non_root(self) -> None:
        whoami = ssh(config.STAGING_HOST, "docker exec superlists id -un")
        self.assertEqual(whoami.stdout.strip(), "nonroot")

    def test_the_images_healthcheck_passes_in_the_container(self) -> None:
        # The engine here has no timer to run it, so run the Dockerfile's command by hand.
        dockerfile = (config.REPO_ROOT / "Dockerfile").read_text()
        command = json.loads(must_search(r"^\s*CMD (\[.*\])$", dockerfile).group(1))
        self.assertEqual(command[0], "python")
        result = ssh(config.STAGING_HOST, f"docker exec superlists {shlex.join(command)}")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_the_image_can_back_up_a_postgresql_database_too(self) -> None:
        result = ssh(config.STAGING_HOST, "docker exec superlists pg_dump --version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("pg_dump (PostgreSQL)", result.stdout)

    def test_the_app_is_shipped_compiled(self) -> None:
        # The image runs with PYTHONDONTWRITEBYTECODE: without bytecode made at build time, every
        # `manage.py` run would compile the app from source again.
        listing = ssh(config.STAGING_HOST, "docker exec superlists ls /src/lists/__pycache__")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("views.cpython-311.pyc", listing.stdout)

    def test_env_file_is_private_to_root(self) -> None:
        mode = ssh(config.STAGING_HOST, "stat -c %a /srv/superlists/superlists.env")
        self.assertEqual(mode.stdout.strip(), "600")

    def test_a_login_email_sent_by_the_app_arrives_over_pop3(self) -> None:
        recipient = f"{config.TEST_MAILBOX}+deploy-{secrets.token_hex(4)}@{config.MAIL_DOMAIN}"
        sent_after = datetime.now(UTC)
        page = submit_on_home_page(
            STAGING_URL, "/accounts/send_login_email", {"email": recipient}
        ).body
        self.assertIn("Check your email", page, CHECK_YOUR_EMAIL)
        message = wait_for_email(stand_in_mailbox(), recipient, LOGIN_EMAIL_SUBJECT, sent_after)
        body = message.get_body(preferencelist=("plain",))
        if body is None:
            self.fail("the login email has no plain-text part")
        self.assertRegex(body.get_content(), rf"{re.escape(STAGING_URL)}/accounts/login\?token=")


class RedeployTest(unittest.TestCase):
    def test_second_deploy_changes_nothing_and_never_prints_secrets(self) -> None:
        result = deploy_to("staging")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, STAGING_UNCHANGED)
        env_file = ssh(config.STAGING_HOST, "cat /srv/superlists/superlists.env").stdout
        secret_key = must_search(r"^DJANGO_SECRET_KEY=(.+)$", env_file).group(1)
        email_password = must_search(r"^EMAIL_PASSWORD=(.+)$", env_file).group(1)
        sentry_dsn = must_search(r"^SENTRY_DSN=(.+)$", env_file).group(1)
        for secret in (secret_key, email_password, sentry_dsn):
            self.assertNotIn(secret, result.stdout)

    def test_data_survives_a_new_container_and_the_secret_key_is_kept(self) -> None:
        list_path = start_list(STAGING_URL, "Survive the redeploy")
        secret_before = ssh(config.STAGING_HOST, "grep SECRET_KEY /srv/superlists/superlists.env")
        removed = ssh(config.STAGING_HOST, "docker rm -f superlists")
        self.assertEqual(removed.returncode, 0, removed.stderr)

        result = deploy_to("staging")

        self.assertEqual(result.returncode, 0)
        self.assertIn("1: Survive the redeploy", page_text(STAGING_URL, list_path))
        secret_after = ssh(config.STAGING_HOST, "grep SECRET_KEY /srv/superlists/superlists.env")
        self.assertEqual(secret_before.stdout, secret_after.stdout)

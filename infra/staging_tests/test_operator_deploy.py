"""What an operator relies on, proved on the stand-in hosts: HTTPS with a clean `check --deploy`,
no token in any log, backups that restore, releases that drop nothing, refuse to break the site,
and reach production only through staging."""

import re
import secrets
import threading
import time
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

import certifi
import requests

from accounts.views import LOGIN_EMAIL_SUBJECT
from infra.staging_tests.remote import (
    PRODUCTION_CONTAINER,
    PRODUCTION_URL,
    STAGING_CONTAINER,
    STAGING_UNCHANGED,
    STAGING_URL,
    deploy_to,
    page_text,
    release,
    ssh,
    start_list,
    submit_on_home_page,
)
from infra.standin import config
from infra.standin.mail.probe import take_mail_for, unique_test_address
from loadtest.report import Report
from loadtest.run import run_load

HOSTS = {config.STAGING_HOST: STAGING_CONTAINER, config.PRODUCTION_HOST: PRODUCTION_CONTAINER}


def live_image(host: str) -> str:
    result = ssh(host, f"docker inspect --format '{{{{.Image}}}}' {HOSTS[host]}")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def logs(host: str, container: str) -> str:
    result = ssh(host, f"docker logs {container}")
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def production_record(name: str) -> set[str]:
    """The images named in one of production's release records (releases.py names them)."""
    result = ssh(config.PRODUCTION_HOST, f"cat {config.PRODUCTION.app_dir}/{name} || true")
    return {line.split()[0] for line in result.stdout.splitlines() if line.strip()}


@contextmanager
def a_changed_checkout() -> Iterator[None]:
    """The checkout with one file more in src/: the deploy builds a new image from it."""
    marker = config.REPO_ROOT / "src" / "release-test-marker.txt"
    marker.write_text(f"{secrets.token_hex(8)}\n")
    try:
        yield
    finally:
        marker.unlink()


class HttpsTest(unittest.TestCase):
    def test_plain_http_is_sent_to_https(self) -> None:
        for url in [STAGING_URL, PRODUCTION_URL]:
            with self.subTest(url=url):
                plain = url.replace("https://", "http://") + "/lists/new"
                response = requests.get(plain, allow_redirects=False, timeout=10)
                self.assertIn(response.status_code, {301, 308})
                self.assertEqual(response.headers["Location"], url + "/lists/new")

    def test_the_certificate_is_checked_against_the_standins_ca_only(self) -> None:
        self.assertEqual(requests.get(STAGING_URL + "/", timeout=10).status_code, 200)
        # Where the stand-in's CA is not trusted, the certificate is refused: nothing is off.
        with self.assertRaises(requests.exceptions.SSLError):
            requests.get(STAGING_URL + "/", timeout=10, verify=certifi.where())

    def test_django_check_deploy_reports_no_issues(self) -> None:
        for host, container in HOSTS.items():
            with self.subTest(host=host):
                result = ssh(host, f"docker exec {container} python manage.py check --deploy")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("System check identified no issues", result.stdout)
                self.assertNotIn("WARNING", result.stderr)


class AccessLogTest(unittest.TestCase):
    def test_no_login_token_in_the_app_or_proxy_log(self) -> None:
        recipient = unique_test_address("access-log")
        sent_after = datetime.now(UTC)
        submit_on_home_page(STAGING_URL, "/accounts/send_login_email", {"email": recipient})
        body = take_mail_for(recipient, LOGIN_EMAIL_SUBJECT, sent_after)
        link = re.search(r"https://\S+/accounts/login\?token=(\S+)", body.get_content())
        if link is None:
            self.fail("no login link in the email")
        token = link.group(1)
        self.assertEqual(requests.get(link.group(0), timeout=10).status_code, 200)

        for container in [STAGING_CONTAINER, f"{STAGING_CONTAINER}-proxy"]:
            with self.subTest(container=container):
                log = logs(config.STAGING_HOST, container)
                self.assertIn("/accounts/login", log)  # the request was logged...
                self.assertNotIn(token, log)  # ...without its token
                self.assertNotIn("token=", log)


class BackupTest(unittest.TestCase):
    def test_the_daily_backup_restores_every_item_after_a_wipe(self) -> None:
        list_path = start_list(STAGING_URL, "Back me up")
        # The command cron runs every day, exactly as the deploy wrote it.
        cron = ssh(config.STAGING_HOST, f"cat /etc/cron.d/superlists-{STAGING_CONTAINER}").stdout
        [job] = [line for line in cron.splitlines() if line and line[0].isdigit()]
        command = job.split(None, 6)[6]  # after the five time fields and the user
        self.assertEqual(ssh(config.STAGING_HOST, command).returncode, 0)

        ssh(config.STAGING_HOST, f"docker exec {STAGING_CONTAINER} python manage.py reset_database")
        self.assertEqual(requests.get(STAGING_URL + list_path, timeout=10).status_code, 404)

        # The README's runbook step, twice (an operator unsure the first one worked): the second
        # restores the same backup, not the safety copy of the wiped state the first one made.
        for attempt in (1, 2):
            restore = ssh(
                config.STAGING_HOST,
                f"docker exec {STAGING_CONTAINER} python manage.py restore_database latest",
            )
            self.assertEqual(restore.returncode, 0, restore.stderr)
            self.assertIn("1: Back me up", page_text(STAGING_URL, list_path), f"restore {attempt}")

    def test_cron_on_the_host_runs_the_backup_on_its_schedule(self) -> None:
        # The deploy's daily line, its schedule made to fire every minute: the host's cron
        # daemon runs it, and a new backup appears.
        before = backups_on(config.STAGING_HOST)
        try:
            every_minute = deploy_to("staging", "-e", '{"backup_time": "* * * * *"}')
            self.assertEqual(every_minute.returncode, 0)
            wait_until(
                lambda: backups_on(config.STAGING_HOST) - before,
                timeout=150,
                what="a backup made by cron",
            )
        finally:
            self.assertEqual(deploy_to("staging").returncode, 0)


def backups_on(host: str) -> set[str]:
    """The backups the app there lists (safety copies aside)."""
    result = ssh(host, f"docker exec {HOSTS[host]} python manage.py restore_database --list")
    assert result.returncode == 0, result.stderr
    backups = result.stdout.split("Safety copies")[0]
    return {line.strip() for line in backups.splitlines() if line.startswith("  ")}


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:.0f} s, still not: {what}")
        time.sleep(2)


@contextmanager
def under_load(url: str) -> Iterator[list[Report]]:
    """Anonymous visitors load ``url`` until the block ends; then the report is in the list."""
    stop = threading.Event()
    reports: list[Report] = []
    visitors = threading.Thread(
        target=lambda: reports.append(run_load([url], None, clients=2, seconds=600, stop=stop))
    )
    visitors.start()
    try:
        yield reports
    finally:
        stop.set()
        visitors.join()


class ReleaseTest(unittest.TestCase):
    def test_a_release_and_a_rollback_under_load_drop_nothing(self) -> None:
        before = live_image(config.STAGING_HOST)
        with under_load(STAGING_URL) as reports:
            with a_changed_checkout():
                started = time.monotonic()
                released = deploy_to("staging")
                print(f"release of a new image to staging: {time.monotonic() - started:.1f} s")
            self.assertEqual(released.returncode, 0)
            new = live_image(config.STAGING_HOST)
            self.assertNotEqual(new, before)

            started = time.monotonic()
            rolled_back = deploy_to("staging", "-e", "rollback=true")
            print(f"rollback on staging: {time.monotonic() - started:.1f} s")
            self.assertEqual(rolled_back.returncode, 0)
            self.assertEqual(live_image(config.STAGING_HOST), before)
        [report] = reports
        print(report.summary())
        self.assertEqual(report.tally.failed, 0, report.summary())
        self.assertEqual(report.audit.lost, [], report.summary())
        self.assertTrue(report.ok, report.summary())

    def test_a_release_that_changes_nothing_does_nothing(self) -> None:
        started = time.monotonic()
        result = deploy_to("staging")
        print(f"no-op release to staging: {time.monotonic() - started:.1f} s")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, STAGING_UNCHANGED)

    def test_a_deploy_repairs_what_was_changed_by_hand(self) -> None:
        ssh(config.STAGING_HOST, "echo DJANGO_DEBUG_FALSE=edited >> /srv/superlists/superlists.env")
        ssh(config.STAGING_HOST, "docker stop superlists-proxy")
        result = deploy_to("staging")
        self.assertEqual(result.returncode, 0)
        self.assertNotRegex(result.stdout, STAGING_UNCHANGED)
        env_file = ssh(config.STAGING_HOST, "cat /srv/superlists/superlists.env").stdout
        self.assertNotIn("edited", env_file)
        self.assertEqual(requests.get(STAGING_URL + "/", timeout=10).status_code, 200)

    def test_a_failing_release_stops_and_the_old_one_keeps_serving(self) -> None:
        list_path = start_list(STAGING_URL, "Still here")
        before = live_image(config.STAGING_HOST)
        try:
            with a_changed_checkout():
                # A setting the new release cannot start with: its migrations fail.
                failed = deploy_to("staging", "-e", "hsts_seconds=soon")
            self.assertNotEqual(failed.returncode, 0)
            self.assertIn("DJANGO_HSTS_SECONDS='soon' must be a whole number", failed.stdout)
            self.assertRegex(failed.stdout, r"stopped at \W*Run the new release's migrations")
            self.assertIn(f"still serves {before}", failed.stdout)
            self.assertEqual(live_image(config.STAGING_HOST), before)
            self.assertIn("1: Still here", page_text(STAGING_URL, list_path))
            leftovers = ssh(config.STAGING_HOST, "docker ps -a --format '{{.Names}}'").stdout
            self.assertNotIn(f"{STAGING_CONTAINER}-next", leftovers)
        finally:
            self.assertEqual(deploy_to("staging").returncode, 0)


class PromotionTest(unittest.TestCase):
    def test_production_serves_the_image_that_passed_staging(self) -> None:
        for server in [config.STAGING, config.PRODUCTION]:
            with self.subTest(record_on=server.name):
                record = ssh(server.address, f"cat {server.app_dir}/passed-staging").stdout
                self.assertIn(live_image(config.PRODUCTION_HOST), record.split())

    def test_production_refuses_an_image_that_has_not_passed_staging(self) -> None:
        before = live_image(config.PRODUCTION_HOST)
        list_path = start_list(PRODUCTION_URL, "Production goes on")
        with a_changed_checkout():
            refused = deploy_to("production")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("it has not passed the FT suite on staging", refused.stdout)
        refused_image = re.search(r"Refusing to deploy (sha256:[0-9a-f]+)", refused.stdout)
        if refused_image is None:
            self.fail("the refusal does not name the image")
        # Refused before anything reached production: not even the image was shipped.
        shipped = ssh(config.PRODUCTION_HOST, f"docker image inspect {refused_image.group(1)}")
        self.assertNotEqual(shipped.returncode, 0)
        self.assertEqual(live_image(config.PRODUCTION_HOST), before)
        self.assertIn("1: Production goes on", page_text(PRODUCTION_URL, list_path))
        self.assertEqual(urlsplit(PRODUCTION_URL).scheme, "https")

    def test_no_playbook_variable_switches_productions_gate_off(self) -> None:
        before = live_image(config.PRODUCTION_HOST)
        with a_changed_checkout():
            refused = deploy_to("production", "-e", "require_staging_pass=false")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("it has not passed the FT suite on staging", refused.stdout)
        self.assertEqual(live_image(config.PRODUCTION_HOST), before)

    def test_an_override_is_logged_and_rollbacks_only_go_back_to_what_passed(self) -> None:
        passed = live_image(config.PRODUCTION_HOST)
        # Earlier runs on this machine may have left releases that passed staging: then the
        # second rollback below goes back to one of them instead of refusing.
        earlier_passed = production_record("passed-staging") & (
            production_record("releases.log") - {passed}
        )
        with a_changed_checkout():
            forced = release("--force-unverified", "proving the override is logged")
        self.assertEqual(forced.returncode, 0)
        unverified = live_image(config.PRODUCTION_HOST)
        self.assertNotEqual(unverified, passed)
        log = ssh(config.PRODUCTION_HOST, f"cat {config.PRODUCTION.app_dir}/releases.log").stdout
        self.assertRegex(
            log.splitlines()[-1],
            rf"^{unverified} \S+ forced-unverified: proving the override is logged$",
        )

        self.assertEqual(release("--rollback").returncode, 0)
        self.assertEqual(live_image(config.PRODUCTION_HOST), passed)
        # Again: further back, never forward.
        again = release("--rollback")
        if earlier_passed:
            self.assertEqual(again.returncode, 0, again.stdout)
            self.assertIn(live_image(config.PRODUCTION_HOST), earlier_passed)
        else:
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("No earlier release to roll back to that passed staging", again.stdout)
            self.assertEqual(live_image(config.PRODUCTION_HOST), passed)

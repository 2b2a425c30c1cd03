import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core import mail
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from functional_tests import container_commands, mailbox
from functional_tests.browser import make_browser
from functional_tests.fixtures import create_pre_authenticated_session
from functional_tests.target import test_server_from_environ

MAX_WAIT = 5
POLL_INTERVAL = 0.1
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "ft-artifacts"

T = TypeVar("T")


def wait(fn: Callable[..., T]) -> Callable[..., T]:
    """Retry ``fn`` until it stops failing an assertion or finding elements, or MAX_WAIT passes."""

    @functools.wraps(fn)
    def retrying(*args: Any, **kwargs: Any) -> T:
        deadline = time.monotonic() + MAX_WAIT
        while True:
            try:
                return fn(*args, **kwargs)
            except (AssertionError, WebDriverException):
                if time.monotonic() > deadline:
                    raise
                time.sleep(POLL_INTERVAL)

    return retrying


class FunctionalTest(StaticLiveServerTestCase):
    """A user story in a real browser, against the local live server or, with TEST_SERVER set,
    against a deployed staging server (whose database is reset before each test)."""

    def setUp(self) -> None:
        self.started_at = datetime.now(UTC)
        self.test_server = test_server_from_environ()
        if self.test_server:
            self.live_server_url = self.test_server.url
            container_commands.reset_database(self.test_server)
        self.browser = make_browser()

    def tearDown(self) -> None:
        if self._test_has_failed():
            self.save_failure_artifacts()
        self.browser.quit()
        super().tearDown()

    def _test_has_failed(self) -> bool:
        result = self._outcome.result
        return any(test is self for test, _ in result.failures + result.errors)

    def save_failure_artifacts(self) -> None:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        stem = ARTIFACTS_DIR / f"{self.id()}-{datetime.now():%Y%m%dT%H%M%S}"
        try:
            self.browser.get_screenshot_as_file(f"{stem}.png")
            Path(f"{stem}.html").write_text(self.browser.page_source)
        except WebDriverException as error:
            print(f"\nCould not save the page of failed test {self.id()}: {error}")
        else:
            print(f"\nScreenshot and HTML of failed test {self.id()} saved as {stem}.png/.html")

    @wait
    def wait_for(self, fn: Callable[[], T]) -> T:
        return fn()

    def get_item_input_box(self) -> WebElement:
        return self.browser.find_element(By.ID, "id_text")

    def add_list_item(self, item_text: str) -> None:
        num_rows = len(self.browser.find_elements(By.CSS_SELECTOR, "#id_list_table tr"))
        self.get_item_input_box().send_keys(item_text, Keys.ENTER)
        self.wait_for_row_in_list_table(f"{num_rows + 1}: {item_text}")

    @wait
    def wait_for_row_in_list_table(self, row_text: str) -> None:
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#id_list_table tr")
        self.assertIn(row_text, [row.text for row in rows])

    @wait
    def wait_to_be_logged_in(self, email: str) -> None:
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout")
        navbar = self.browser.find_element(By.CSS_SELECTOR, ".navbar")
        self.assertIn(email, navbar.text)

    @wait
    def wait_to_be_logged_out(self, email: str) -> None:
        self.browser.find_element(By.CSS_SELECTOR, "input[name=email]")
        navbar = self.browser.find_element(By.CSS_SELECTOR, ".navbar")
        self.assertNotIn(email, navbar.text)

    def email_address_for(self, name: str) -> str:
        """Locally any address will do; on a server, a new one in the real test mailbox."""
        if self.test_server:
            return self.test_server.unique_email_address(name)
        return f"{name}@example.com"

    def wait_for_email_body(self, recipient: str, subject: str) -> str:
        """The body of the email just sent to ``recipient`` with ``subject``."""
        if not self.test_server:
            email = mail.outbox.pop()
            self.assertIn(recipient, email.to)
            self.assertEqual(email.subject, subject)
            return email.body
        message = mailbox.wait_for_email(
            self.test_server.pop3, recipient, subject, sent_after=self.started_at
        )
        return message.get_body(preferencelist=("plain",)).get_content()

    def create_pre_authenticated_session(self, email: str) -> None:
        if self.test_server:
            session_key = container_commands.create_session_on_server(self.test_server, email)
        else:
            session_key = create_pre_authenticated_session(email)
        # A cookie can only be set for the domain the browser is on; 404 pages load the quickest.
        self.browser.get(self.live_server_url + "/404_no_such_url/")
        self.browser.add_cookie(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "path": "/"}
        )

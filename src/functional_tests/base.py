import functools
import os
import re
import time
import unittest
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from accounts.views import LOGIN_EMAIL_SUBJECT
from functional_tests.accessibility import axe_violations, describe_violations
from functional_tests.browser import BROWSERS
from functional_tests.live_server import PromptLiveServerThread
from functional_tests.server_log import errors_first
from functional_tests.servers import Server, server_for

MAX_WAIT = 5
POLL_INTERVAL = 0.02  # a page settles in tens of ms: a wait ends soon after it has
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
    """A user story in a real browser, against the local live server (whose database is
    emptied after each test) or, with TEST_SERVER set, against a deployed staging server (whose
    database is emptied before the run's first test: ``server_state.reset_database``)."""

    server_thread_class = PromptLiveServerThread
    javascript = True  # False: every browser the test opens has JavaScript turned off

    server: Server  # the local live server, or the staging server TEST_SERVER names

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = server_for(cls.live_server_url)
        cls.addClassCleanup(cls.server.close)

    def setUp(self) -> None:
        self.started_at = datetime.now(UTC)
        self.live_server_url = self.server.url
        self.server.reset()
        self.browser = self.borrow_browser()

    def __getstate__(self) -> dict[str, Any]:
        # A finished test goes whole to the parent process of a --parallel run when a subtest
        # of it failed; its browser (given back by then) cannot go with it.
        state: dict[str, Any] = super().__getstate__()  # type: ignore[assignment]
        return {name: value for name, value in state.items() if name != "browser"}

    def borrow_browser(self) -> WebDriver:
        """A browser that is, to the site, newly started: its cookies are nobody's yet. It is
        given back to the run's browsers (``BROWSERS``) after the test."""
        browser = BROWSERS.lend(self.server.url, javascript=self.javascript)
        self.addCleanup(BROWSERS.take_back, browser)
        return browser

    def open_another_browser(self) -> WebDriver:
        """Another browser, with cookies of its own (another person's), as ``self.browser``."""
        self.browser = self.borrow_browser()
        return self.browser

    def _callTestMethod(self, method: Callable[[], object]) -> None:
        # unittest's private hook around the test method (as the book's tearDown reads its
        # private _outcome): a failure is caught here on its way to the test result, where
        # its report is written (at once, or in the parent process of a --parallel run).
        try:
            super()._callTestMethod(method)  # type: ignore[misc]
        except unittest.SkipTest:
            raise
        except Exception as failure:
            self.save_failure_artifacts()
            failure.add_note(self.the_servers_side())
            raise

    def the_servers_side(self) -> str:
        """The server's log lines since the test started, errors and tracebacks first, each with
        its request ID: added to a failure's report, where its reader looks first."""
        where = f"The server ({self.server.url})"
        try:
            return errors_first(self.server.log_since(self.started_at), where)
        except Exception as error:  # a report about a failure must not fail in its turn
            return f"{where}: its log could not be read: {error}"

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

    def ask_for_login_link(self, email: str) -> str:
        """Ask for a login link in the navbar, and return the one that arrives by email."""
        self.browser.get(self.live_server_url)
        self.browser.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(email, Keys.ENTER)
        self.wait_for(lambda: self.assertIn("Check your email", self.page_text()))
        body = self.wait_for_email_body(email, LOGIN_EMAIL_SUBJECT)
        url_search = re.search(r"https?://\S+/accounts/login\?token=\S+", body)
        if not url_search:
            self.fail(f"Could not find a login link in the email body:\n{body}")
        return url_search.group(0)

    @wait
    def confirm_login(self) -> None:
        """Press "Log in" on the page a login link opens."""
        self.browser.find_element(By.CSS_SELECTOR, "#id_confirm_login").click()

    def page_text(self) -> str:
        return self.browser.find_element(By.TAG_NAME, "body").text

    def content_security_policy_violations(self) -> list[str]:
        """What the browser refused under the site's CSP since last asked (Chromium only)."""
        if not hasattr(self.browser, "get_log"):
            self.skipTest("only Chromium tells WebDriver what it refused")
        log = self.browser.get_log("browser")
        return [entry["message"] for entry in log if "Content Security Policy" in entry["message"]]

    def email_address_for(self, name: str) -> str:
        """Locally any address will do; on a server, a new one in the real test mailbox."""
        return self.server.email_address(name)

    def wait_for_email_body(self, recipient: str, subject: str) -> str:
        """The body of the email just sent to ``recipient`` with ``subject``."""
        return self.server.email_body(recipient, subject, sent_after=self.started_at)

    def expire_login_links(self, email: str) -> None:
        """Make the login links already sent to ``email`` too old to work, on the server."""
        self.server.expire_login_links(email)

    def create_pre_authenticated_session(self, email: str) -> None:
        session_key = self.server.create_session(email)
        # A cookie can only be set for the domain the browser is on; 404 pages load the quickest.
        self.browser.get(self.live_server_url + "/404_no_such_url/")
        self.browser.add_cookie(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "path": "/"}
        )

    def assert_accessible(self, where: str = "") -> None:
        """Fail if axe-core finds anything wrong on the page the browser is on, listing each rule
        broken, the elements that break it and axe's fix. ``where`` adds to the failure's title
        (the page's name, the window's width)."""
        violations = axe_violations(self.browser)
        if violations:
            self.fail(
                f"axe-core found {len(violations)} kind(s) of accessibility problem on "
                f"{self.browser.current_url} {where}\n{describe_violations(violations)}"
            )

    def save_screenshot_if_asked(self, name: str) -> None:
        """With ``FT_SCREENSHOTS=1``, save the whole page as ``ft-artifacts/<name>.png``, for a
        person to look at. The window is made as tall as the page for it, then put back."""
        if os.environ.get("FT_SCREENSHOTS") != "1":
            return
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        size = self.browser.get_window_size()
        page_height = self.browser.execute_script("return document.documentElement.scrollHeight")
        self.browser.set_window_size(size["width"], max(size["height"], page_height))
        try:
            self.browser.get_screenshot_as_file(str(ARTIFACTS_DIR / f"{name}.png"))
        finally:
            self.browser.set_window_size(size["width"], size["height"])

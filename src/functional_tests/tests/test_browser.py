import time
from pathlib import Path
from unittest import TestCase

from django.test import LiveServerTestCase
from selenium.webdriver.remote.command import Command
from selenium.webdriver.remote.webdriver import WebDriver

from functional_tests.browser import (
    BrowserPool,
    can_start_afresh,
    make_browser,
    quit_quietly,
    start_afresh,
)

QUIT_DEADLINE = 10


def processes_mentioning(text: str) -> list[int]:
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                pids.append(int(cmdline.parent.name))
        except OSError:  # the process ended while we looked
            pass
    return pids


def processes_left(text: str) -> list[int]:
    """The processes still mentioning ``text`` once none is left, or QUIT_DEADLINE has passed."""
    deadline = time.monotonic() + QUIT_DEADLINE
    while (left := processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


class BrowserTest(TestCase):
    def test_quit_ends_every_browser_process(self) -> None:
        browser = make_browser()
        chromium_profile = browser.capabilities.get("chrome", {}).get("userDataDir")
        profile_dir = chromium_profile or browser.capabilities["moz:profile"]
        self.assertTrue(processes_mentioning(profile_dir))

        browser.quit()

        self.assertEqual(processes_left(profile_dir), [], "browser processes left after quit()")


# A page whose script, if it runs, changes the heading.
SCRIPTED_PAGE = "data:text/html,<h1 id='h'>static</h1><script>h.textContent='scripted'</script>"


class JavaScriptSwitchTest(TestCase):
    def heading_in(self, javascript: bool) -> str:
        browser = make_browser(javascript=javascript)
        self.addCleanup(browser.quit)
        browser.get(SCRIPTED_PAGE)
        return browser.find_element("id", "h").text

    def test_pages_run_their_scripts_by_default(self) -> None:
        self.assertEqual(self.heading_in(javascript=True), "scripted")

    def test_a_browser_without_javascript_runs_none(self) -> None:
        self.assertEqual(self.heading_in(javascript=False), "static")


class StartAfreshTest(LiveServerTestCase):
    """The run's browsers are lent to test after test, made new for each: to the site a browser
    must be what a newly started one is."""

    def test_a_used_browser_forgets_the_site_and_its_other_tabs(self) -> None:
        browser = make_browser()
        self.addCleanup(browser.quit)
        if not can_start_afresh(browser):
            self.skipTest("only Chromium can be made new")
        size = browser.get_window_size()
        browser.get(self.live_server_url)  # the home page sets the CSRF cookie
        browser.execute_script("localStorage.setItem('seen', 'yes'); console.error('old news')")
        browser.set_window_size(375, 700)
        browser.switch_to.new_window("tab")
        self.assertTrue(browser.execute_cdp_cmd("Network.getAllCookies", {})["cookies"])

        start_afresh(browser, self.live_server_url, size)

        self.assertEqual(len(browser.window_handles), 1)
        self.assertEqual(browser.current_url, "about:blank")
        self.assertEqual(browser.execute_cdp_cmd("Network.getAllCookies", {})["cookies"], [])
        self.assertEqual(browser.get_window_size(), size)
        self.assertEqual(browser.execute(Command.GET_LOG, {"type": "browser"})["value"], [])
        browser.get(self.live_server_url + "/404_no_such_url/")
        self.assertIsNone(browser.execute_script("return localStorage.getItem('seen')"))


class BrowserPoolTest(LiveServerTestCase):
    """The run's browsers are lent to one test at a time, and made new for the next."""

    def setUp(self) -> None:
        self.pool = BrowserPool()
        self.addCleanup(self.pool.close)

    def lend(self, javascript: bool = True) -> WebDriver:
        browser = self.pool.lend(self.live_server_url, javascript=javascript)
        self.addCleanup(quit_quietly, browser)  # given back or not, ended with the test
        if not can_start_afresh(browser):
            browser.quit()
            self.skipTest("only Chromium can be made new")
        return browser

    def test_a_browser_given_back_is_lent_again_made_new(self) -> None:
        browser = self.lend()
        browser.get(self.live_server_url)  # the home page sets the CSRF cookie
        self.assertTrue(browser.get_cookies())
        self.pool.take_back(browser)

        again = self.lend()

        self.assertIs(again, browser)
        self.assertEqual(again.current_url, "about:blank")
        self.assertEqual(again.execute_cdp_cmd("Network.getAllCookies", {})["cookies"], [])

    def test_a_browser_is_lent_to_one_test_at_a_time(self) -> None:
        first = self.lend()
        second = self.lend()
        self.assertIsNot(first, second)
        self.pool.take_back(first)
        self.pool.take_back(second)

    def test_a_browser_without_javascript_is_lent_only_to_who_asks_for_one(self) -> None:
        without = self.lend(javascript=False)
        self.pool.take_back(without)

        self.assertIsNot(self.lend(javascript=True), without)
        self.assertIs(self.lend(javascript=False), without)

    def test_a_browser_that_cannot_be_made_new_is_replaced(self) -> None:
        broken = self.lend()
        self.pool.take_back(broken)
        broken.close()  # its last window: the browser ends, as if it had crashed

        replacement = self.lend()

        self.assertIsNot(replacement, broken)
        replacement.get(self.live_server_url)
        self.pool.take_back(replacement)

    def test_close_quits_the_idle_browsers(self) -> None:
        browser = self.lend()
        profile_dir = browser.capabilities["chrome"]["userDataDir"]
        self.pool.take_back(browser)

        self.pool.close()

        self.assertEqual(processes_left(profile_dir), [], "browser processes left after close()")

import time
from pathlib import Path
from unittest import TestCase

from django.test import LiveServerTestCase
from selenium.webdriver.remote.command import Command

from functional_tests.browser import can_start_afresh, make_browser, start_afresh

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


class BrowserTest(TestCase):
    def test_quit_ends_every_browser_process(self) -> None:
        browser = make_browser()
        chromium_profile = browser.capabilities.get("chrome", {}).get("userDataDir")
        profile_dir = chromium_profile or browser.capabilities["moz:profile"]
        self.assertTrue(processes_mentioning(profile_dir))

        browser.quit()

        deadline = time.monotonic() + QUIT_DEADLINE
        while (left := processes_mentioning(profile_dir)) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(left, [], f"browser processes running {QUIT_DEADLINE} s after quit()")


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
    """A test class's stories share one browser, made new for each: to the site it must be
    what a newly started browser is."""

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

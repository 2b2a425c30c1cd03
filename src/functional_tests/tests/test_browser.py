import time
from pathlib import Path
from unittest import TestCase

from functional_tests.browser import make_browser

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
    def test_quit_ends_every_browser_process(self):
        browser = make_browser()
        chromium_profile = browser.capabilities.get("chrome", {}).get("userDataDir")
        profile_dir = chromium_profile or browser.capabilities["moz:profile"]
        self.assertTrue(processes_mentioning(profile_dir))

        browser.quit()

        deadline = time.monotonic() + QUIT_DEADLINE
        while (left := processes_mentioning(profile_dir)) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(left, [], f"browser processes running {QUIT_DEADLINE} s after quit()")

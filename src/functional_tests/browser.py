"""The real browser the functional tests drive.

``FT_BROWSER``: ``chromium`` (default; Debian's chromium-headless-shell and chromium-driver) or
``firefox`` (needs geckodriver on PATH). ``FT_HEADLESS=0`` shows a window: Debian's full chromium.

``FT_CA_CERTS``: a PEM file of extra root certificates the browser trusts, as a person would
import their company's CA (the stand-in hosts' TLS proxies sign with their own CA). Chromium
reads them from the NSS database in its HOME, so the browser gets a HOME of its own.

Headless, the tests drive chromium-headless-shell: the same Chromium build (engine and version)
without the desktop browser around it (Chromium's former headless mode). It starts in half the
time and loads our pages faster than ``chromium --headless=new`` (bench/HISTORY.md).
"""

import atexit
import contextlib
import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard
from urllib.parse import urlsplit

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.command import Command

from functional_tests.process_end import close_at_exit
from superlists.environment import env_flag

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
# The binary itself: /usr/bin/chromium-headless-shell is a script that runs it without exec, so
# chromedriver's quit() would stop the script and leave the browser running, one per test.
CHROMIUM_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"

# Headless as root with no display, and quiet: without the background-networking flags Chromium
# keeps trying to reach Google's services, which a closed network refuses over and over.
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1024,768",
    # No CSS transitions (Bootstrap honours reduced motion): a page is checked as it settles, not
    # halfway through a button's hover fade, which axe-core measured at 4.16:1 contrast.
    "--force-prefers-reduced-motion",
]


def headless() -> bool:
    return env_flag("FT_HEADLESS", default=True)


def make_browser(javascript: bool = True) -> webdriver.Remote:
    """The FTs' browser; with ``javascript=False``, one with JavaScript turned off, as some
    people browse (WebDriver's own scripts still run)."""
    name = os.environ.get("FT_BROWSER", "chromium").lower()
    if name == "chromium":
        return make_chromium(javascript)
    if name == "firefox":
        return make_firefox(javascript)
    raise RuntimeError(f"FT_BROWSER={name!r}: choose 'chromium' (the default) or 'firefox'.")


def can_start_afresh(browser: webdriver.Remote) -> TypeGuard[webdriver.Chrome]:
    """Whether ``start_afresh`` can make this browser new: Chromium, through its DevTools."""
    return isinstance(browser, webdriver.Chrome)


def start_afresh(browser: webdriver.Chrome, site_url: str, window_size: dict[str, int]) -> None:
    """Make ``browser`` to the site at ``site_url`` what a newly started one is: one blank tab
    of ``window_size``, no cookies (any site's), no storage, an empty cache, nothing left in its
    console log (which the CSP tests read)."""
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})
    url = urlsplit(site_url)
    origin = f"{url.scheme}://{url.netloc}"
    browser.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    if browser.get_window_size() != window_size:
        browser.set_window_size(window_size["width"], window_size["height"])
    browser.execute(Command.GET_LOG, {"type": "browser"})  # read (get_log), so forgotten


# What a browser answers once it crashed or was closed, or its driver ended.
BROWSER_GONE = (WebDriverException, urllib3.exceptions.HTTPError)


@dataclass(frozen=True)
class KeptBrowser:
    driver: webdriver.Chrome
    javascript: bool
    window_size: dict[str, int]  # as it started


class BrowserPool:
    """The browsers of a test run, each lent to one test at a time and made new for the next
    (``start_afresh``): starting one (~0.2 s on a quiet machine, over 1 s on a busy one) and
    quitting it cost more than most steps of a story. A browser that cannot be made new (not
    Chromium, or left unusable by a failed test) is quit instead of kept."""

    def __init__(self) -> None:
        self._idle: list[KeptBrowser] = []
        self._lent: dict[int, KeptBrowser] = {}

    def lend(self, site_url: str, javascript: bool = True) -> webdriver.Remote:
        """A browser that is, to the site at ``site_url``, newly started: with JavaScript
        turned on, or off."""
        while (kept := self._take_idle(javascript)) is not None:
            try:
                start_afresh(kept.driver, site_url, kept.window_size)
            except BROWSER_GONE:
                quit_quietly(kept.driver)
                continue
            self._lent[id(kept.driver)] = kept
            return kept.driver
        close_at_exit(self)
        browser = make_browser(javascript=javascript)
        if can_start_afresh(browser):
            self._lent[id(browser)] = KeptBrowser(browser, javascript, browser.get_window_size())
        return browser

    def take_back(self, browser: webdriver.Remote) -> None:
        kept = self._lent.pop(id(browser), None)
        if kept is None:
            browser.quit()
        else:
            self._idle.append(kept)

    def close(self) -> None:
        """Quit the idle browsers (those lent are quit when given back)."""
        while self._idle:
            quit_quietly(self._idle.pop().driver)

    def _take_idle(self, javascript: bool) -> KeptBrowser | None:
        for index, kept in enumerate(self._idle):
            if kept.javascript == javascript:
                return self._idle.pop(index)
        return None


def quit_quietly(browser: webdriver.Remote) -> None:
    with contextlib.suppress(*BROWSER_GONE):
        browser.quit()


# The run's browsers (a --parallel run's worker's): the FTs borrow theirs here.
BROWSERS = BrowserPool()


def make_chromium(javascript: bool = True) -> webdriver.Chrome:
    if headless():
        binary, package = CHROMIUM_HEADLESS_SHELL, "chromium-headless-shell"
    else:
        binary, package = CHROMIUM, "chromium"
    if not (os.path.exists(binary) and os.path.exists(CHROMEDRIVER)):
        raise RuntimeError(
            f"The FTs need {binary} and {CHROMEDRIVER}: "
            f"run `apt-get install -y {package} chromium-driver` (as root)."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    if not javascript:
        # Blink's own switch: chromium-headless-shell ignores the profile's content settings.
        options.add_argument("--blink-settings=scriptEnabled=false")
    ca_certs = os.environ.get("FT_CA_CERTS")
    env = {**os.environ, "HOME": str(home_trusting(ca_certs))} if ca_certs else None
    # An explicit driver path: otherwise Selenium Manager tries to download one, and fails offline.
    service = webdriver.ChromeService(CHROMEDRIVER, env=env)
    return webdriver.Chrome(service=service, options=options)


@functools.cache
def home_trusting(ca_certs: str) -> Path:
    """A HOME whose NSS database trusts every certificate in the PEM file ``ca_certs``."""
    if shutil.which("certutil") is None:
        raise RuntimeError("FT_CA_CERTS needs certutil: run `apt-get install -y libnss3-tools`.")
    pems = re.findall(
        r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", Path(ca_certs).read_text(), re.S
    )
    if not pems:
        raise RuntimeError(f"FT_CA_CERTS={ca_certs} holds no PEM certificate.")
    home = Path(tempfile.mkdtemp(prefix="ft-browser-home-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    database = f"sql:{home}/.pki/nssdb"
    (home / ".pki" / "nssdb").mkdir(parents=True)
    subprocess.run(["certutil", "-d", database, "-N", "--empty-password"], check=True)
    for number, pem in enumerate(pems):
        subprocess.run(
            ["certutil", "-d", database, "-A", "-t", "C,,", "-n", f"ft-ca-{number}"],
            input=pem,
            text=True,
            check=True,
        )
    return home


def make_firefox(javascript: bool = True) -> webdriver.Firefox:
    geckodriver = shutil.which("geckodriver")
    if geckodriver is None:
        raise RuntimeError("FT_BROWSER=firefox needs geckodriver on PATH (Debian has none).")
    options = webdriver.FirefoxOptions()
    if headless():
        options.add_argument("-headless")
    options.set_preference("javascript.enabled", javascript)
    browser = webdriver.Firefox(service=webdriver.FirefoxService(geckodriver), options=options)
    browser.set_window_size(1024, 768)
    return browser

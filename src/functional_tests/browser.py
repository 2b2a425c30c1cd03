"""The real browser the functional tests drive.

``FT_BROWSER``: ``chromium`` (default; Debian's chromium and chromium-driver) or ``firefox``
(needs geckodriver on PATH). ``FT_HEADLESS=0`` shows the browser window instead of running headless.
"""

import os
import shutil

from selenium import webdriver

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

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
]


def headless() -> bool:
    return os.environ.get("FT_HEADLESS", "1") != "0"


def make_browser() -> webdriver.Remote:
    name = os.environ.get("FT_BROWSER", "chromium").lower()
    if name == "chromium":
        return make_chromium()
    if name == "firefox":
        return make_firefox()
    raise RuntimeError(f"FT_BROWSER={name!r}: choose 'chromium' (the default) or 'firefox'.")


def make_chromium() -> webdriver.Chrome:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        raise RuntimeError(
            f"The FTs need {CHROMIUM} and {CHROMEDRIVER}: "
            "run `apt-get install -y chromium chromium-driver` (as root)."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    if headless():
        options.add_argument("--headless=new")
    # An explicit driver path: otherwise Selenium Manager tries to download one, and fails offline.
    return webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)


def make_firefox() -> webdriver.Firefox:
    geckodriver = shutil.which("geckodriver")
    if geckodriver is None:
        raise RuntimeError("FT_BROWSER=firefox needs geckodriver on PATH (Debian has none).")
    options = webdriver.FirefoxOptions()
    if headless():
        options.add_argument("-headless")
    browser = webdriver.Firefox(service=webdriver.FirefoxService(geckodriver), options=options)
    browser.set_window_size(1024, 768)
    return browser

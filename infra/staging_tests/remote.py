"""How the staging tests reach the stand-in hosts: SSH, HTTP through the real forms, the mailbox."""

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from functional_tests.ssh import ssh_command
from infra.standin import config, credentials, deploy
from sitekit.web_client import Page, WebClient

STAGING_URL = f"https://{config.STAGING_HOST}"
# The live app containers, as infra/inventory.standin.yaml names them.
STAGING_CONTAINER = config.STAGING.container_name
PRODUCTION_CONTAINER = config.PRODUCTION.container_name
PRODUCTION_URL = f"https://{config.PRODUCTION_HOST}"
# ansible-playbook's recap line for staging when a deploy changed nothing there.
STAGING_UNCHANGED = rf"{re.escape(config.STAGING_HOST)}\s*: ok=\d+\s+changed=0 "


def ssh(
    host: str, shell_command: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``shell_command`` on a stand-in host as root, ``input`` on its standard input; its
    exit status and output."""
    return subprocess.run(
        ssh_command(f"{config.SSH_USER}@{host}", shell_command),
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


def deploy_to(group: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Deploy to a stand-in server as its operator does: with the mail provider's password."""
    return deploy.run_playbook(group, credentials.sender_password(), *arguments)


def release(
    *arguments: str, inventories: tuple[Path, ...] = (deploy.INVENTORY,)
) -> subprocess.CompletedProcess[str]:
    """Run scripts/release as its operator does: on the stand-in's inventory (staging and
    production in one), or on `inventories` (staging's, then production's)."""
    environment = deploy.playbook_environment(os.environ, credentials.sender_password())
    result = subprocess.run(
        [config.REPO_ROOT / "scripts" / "release", *inventories, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout[-3000:], result.stderr[-3000:])
    return result


def visitor(base_url: str) -> WebClient:
    """A browser-like visitor of the site at ``base_url`` (sitekit.web_client, the project's one
    web client): it keeps its cookies, sends each form's CSRF token, and follows redirects."""
    return WebClient(base_url, follow_redirects=True, timeout=10)


def page_text(base_url: str, path: str) -> str:
    with visitor(base_url) as browser:
        return _successful(browser.get(path)).body


def submit_on_home_page(base_url: str, action: str, fields: dict[str, str]) -> Page:
    """POST a form found on the home page, as a visitor would; the page it leads to."""
    with visitor(base_url) as browser:
        home = _successful(browser.get("/"))
        return _successful(browser.submit_form(action, fields, home))


def start_list(base_url: str, first_item: str) -> str:
    """Start a list from the home page, as a visitor would; return the list's path."""
    return urlsplit(submit_on_home_page(base_url, "/lists/new", {"text": first_item}).url).path


def _successful(page: Page) -> Page:
    if page.status >= 400:
        raise AssertionError(f"{page.url} answered HTTP {page.status}")
    return page

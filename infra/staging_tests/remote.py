"""How the staging tests reach the stand-in hosts: SSH, HTTP through the real forms, the mailbox."""

import http.cookiejar
import re
import subprocess
import urllib.parse
import urllib.request

from functional_tests.ssh import ssh_command
from infra.standin import config

STAGING_URL = f"http://{config.STAGING_HOST}"
PRODUCTION_URL = f"http://{config.PRODUCTION_HOST}"


def ssh(host: str, shell_command: str) -> subprocess.CompletedProcess:
    """Run ``shell_command`` on a stand-in host as root; its exit status and output."""
    return subprocess.run(
        ssh_command(f"{config.SSH_USER}@{host}", shell_command),
        capture_output=True,
        text=True,
        timeout=120,
    )


class WebClient:
    """A cookie-keeping HTTP client that submits the site's real forms, CSRF token included."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        return self.opener.open(self.base_url + path, timeout=10).read().decode()

    def submit(self, action: str, fields: dict[str, str]) -> tuple[str, str]:
        """POST a form found on the home page; return the final page's path and text."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get("/")).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        response = self.opener.open(self.base_url + action, data=data, timeout=10)
        return urllib.parse.urlparse(response.geturl()).path, response.read().decode()

    def start_list(self, first_item: str) -> str:
        """Start a list from the home page, as a visitor would; return the list's path."""
        path, _page = self.submit("/lists/new", {"text": first_item})
        return path

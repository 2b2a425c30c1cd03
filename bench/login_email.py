"""The time from "send login link" to the test holding the email, against a staging server.

Run as ``python -m bench.login_email`` in a child process whose environment has TEST_SERVER and
the FT_EMAIL_ADDRESS and FT_POP3_* variables (bench.staging sets them from the stand-in host's
`env`). It does what the login FT does, without the browser: post the navbar's form, then read
the mailbox over POP3 through the FTs' own ``StagingServer``. Prints the seconds, as JSON.
"""

import json
import os
import time
from datetime import UTC, datetime

import django

from sitekit.web_client import WebClient

EMAIL_TIMEOUT_S = 30


def send_login_email(base_url: str, email_address: str) -> None:
    # It follows the redirect home, as the browser does; the email is sent by then.
    with WebClient(base_url, follow_redirects=True, timeout=EMAIL_TIMEOUT_S) as visitor:
        home = visitor.get("/")
        visitor.submit_form("/accounts/send_login_email", {"email": email_address}, home)


def seconds_to_email() -> float:
    from accounts.views import LOGIN_EMAIL_SUBJECT
    from functional_tests.servers import StagingServer

    if not os.environ.get("TEST_SERVER"):
        raise SystemExit("TEST_SERVER is not set")
    server = StagingServer(os.environ["TEST_SERVER"], os.environ)
    try:
        address = server.email_address("bench")
        sent_after = datetime.now(UTC)
        started = time.monotonic()
        send_login_email(server.url, address)
        server.email_body(address, LOGIN_EMAIL_SUBJECT, sent_after)
        return time.monotonic() - started
    finally:
        server.close()


if __name__ == "__main__":
    # The development settings, only to import the subject the app sends.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superlists.settings")
    django.setup()
    print(json.dumps({"seconds": round(seconds_to_email(), 3)}))

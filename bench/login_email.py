"""The time from "send login link" to the test holding the email, against a staging server.

Run as ``python -m bench.login_email`` in a child process whose environment has TEST_SERVER and
the FT_POP3_* variables (bench.staging sets them from the stand-in host's `env`) and ``src`` on
PYTHONPATH. It does what the login FT does, without the browser: post the navbar's form, then
read the mailbox over POP3 with the FTs' own ``wait_for_email``. Prints the seconds, as JSON.
"""

import json
import os
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime

import django

EMAIL_TIMEOUT_S = 30


def send_login_email(base_url: str, email_address: str) -> None:
    from bench.csrf import fetch_csrf

    csrf = fetch_csrf(base_url + "/")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.token, "email": email_address})
    request = urllib.request.Request(
        base_url + "/accounts/send_login_email",
        data=body.encode(),
        headers={"Cookie": csrf.cookie_header, "Referer": base_url + "/"},
        method="POST",
    )
    # urllib follows the redirect home, as the browser does; the email is sent by then.
    with urllib.request.urlopen(request, timeout=EMAIL_TIMEOUT_S) as response:
        response.read()


def seconds_to_email() -> float:
    from accounts.views import LOGIN_EMAIL_SUBJECT
    from functional_tests.mailbox import wait_for_email
    from functional_tests.target import test_server_from_environ

    server = test_server_from_environ()
    if server is None:
        raise SystemExit("TEST_SERVER is not set")
    address = server.unique_email_address("bench")
    sent_after = datetime.now(UTC)
    started = time.monotonic()
    send_login_email(server.url, address)
    wait_for_email(server.pop3, address, LOGIN_EMAIL_SUBJECT, sent_after, EMAIL_TIMEOUT_S)
    return time.monotonic() - started


if __name__ == "__main__":
    # The development settings, only to import the subject the app sends.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superlists.settings")
    django.setup()
    print(json.dumps({"seconds": round(seconds_to_email(), 3)}))

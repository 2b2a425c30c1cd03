"""`python -m loadtest URL…`: load running instances, then audit what they kept."""

import argparse
import sys
from contextlib import ExitStack

from loadtest import __doc__ as description
from loadtest.read_back import PATIENCE_S
from loadtest.run import run_load
from sitekit.loopback import NotLoopback
from sitekit.mail_sink import KeepMessages, mail_sink


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loadtest",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("urls", nargs="+", help="base URL of each app instance")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument(
        "--mail-port",
        type=int,
        default=8025,
        help="port of the SMTP server the load test runs on 127.0.0.1 for the instances' email",
    )
    parser.add_argument(
        "--anonymous-only",
        action="store_true",
        help="anonymous visitors only: nobody logs in, so no login email is needed (a deployed "
        "server sends its mail to its own SMTP server, not to ours); no owner, sharee or "
        "private list, and the report says so",
    )
    parser.add_argument(
        "--read-back-seconds",
        type=float,
        default=PATIENCE_S,
        help="how long the final read-back waits in all for a server that does not answer",
    )
    arguments = parser.parse_args()
    with ExitStack() as stack:
        mailbox: KeepMessages | None = None
        if not arguments.anonymous_only:
            try:
                _, mailbox = stack.enter_context(mail_sink(arguments.mail_port))
            except OSError as error:
                parser.error(
                    f"cannot run the mail server on 127.0.0.1:{arguments.mail_port} ({error}): "
                    "choose another --mail-port, or run with --anonymous-only"
                )
        try:
            report = run_load(
                arguments.urls,
                mailbox,
                arguments.clients,
                arguments.seconds,
                arguments.max_requests,
                read_back_patience=arguments.read_back_seconds,
            )
        except NotLoopback as refused:
            parser.error(str(refused))
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

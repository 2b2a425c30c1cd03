"""`python -m bench.loadtest URL…`: load running instances, then audit what they kept."""

import argparse
import sys

from bench.loadtest import __doc__ as description
from bench.loadtest.mail_sink import mail_sink
from bench.loadtest.run import run_load
from bench.loopback import NotLoopback


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest",
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
    arguments = parser.parse_args()
    try:
        with mail_sink(arguments.mail_port) as (_, mailbox):
            report = run_load(
                arguments.urls,
                mailbox,
                arguments.clients,
                arguments.seconds,
                arguments.max_requests,
            )
    except NotLoopback as refused:
        parser.error(str(refused))
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

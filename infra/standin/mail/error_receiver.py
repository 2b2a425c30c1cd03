"""The stand-in's error receiver: kent, a fake Sentry service made for integration tests, run
as `python -m infra.standin.mail.error_receiver` beside the mail server.

The app's containers send their error reports to it (the deploy passes its DSN as SENTRY_DSN,
as a real server's would name Sentry or GlitchTip), and the staging tests read back what
arrived through kent's API (``/api/eventlist/``, ``/api/event/<id>``). Like the SMTP server it
listens on the mail host's loopback address, for this machine, and on this machine's end of
each stand-in host's link, for the containers there; one process, so every address sees the
same events. Plain HTTP: it is reachable only from this machine and the stand-in's own links.
"""

import argparse
import logging
import signal
import threading
from types import FrameType

from kent.app import create_app
from werkzeug.serving import BaseWSGIServer, make_server

from .. import config
from .smtp_server import listening_socket


def servers(addresses: list[str], port: int) -> list[BaseWSGIServer]:
    """One WSGI server per address, all serving one kent app (one store of events)."""
    app = create_app()
    made = []
    for address in addresses:
        listener = listening_socket(address, port)  # before the host's link exists too
        listener.setblocking(True)
        made.append(make_server(address, port, app, threaded=True, fd=listener.fileno()))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", action="append", default=[], help="ADDRESS (repeatable)")
    parser.add_argument("--port", type=int, default=config.ERROR_RECEIVER_PORT)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    running = servers(arguments.listen, arguments.port)
    threads = [threading.Thread(target=server.serve_forever) for server in running]
    for thread in threads:
        thread.start()

    def stop(signal_number: int, frame: FrameType | None) -> None:
        for server in running:
            threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logging.info("listening on %s port %s", ", ".join(arguments.listen), arguments.port)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

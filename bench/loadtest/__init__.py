"""Load test: concurrent visitors create lists and add items over real HTTP, then every item the
server acknowledged is read back and must be there exactly once, with no 5xx on the way.
Meanwhile an owner and a sharee, logged in by emailed link, both add to one private shared list
and tick, edit and delete its items, some of them both at once: each item must end as the last
acknowledged request left it (either person's, where both acted: last write wins), and a
stranger must not see the list (404).

    python -m bench.loadtest http://127.0.0.1:8000 [http://127.0.0.1:8001 …] --clients 8 \
        --seconds 10

Several URLs are taken as instances of one app (sharing one database): each visitor spreads its
requests over all of them. Only loopback addresses are accepted (bench.loopback). The instances
must run in production mode (as bench.gunicorn_server starts them: tests/test_under_load.py)
and send their email to the load test's SMTP server, which it starts on 127.0.0.1:8025
(--mail-port): EMAIL_HOST=127.0.0.1 EMAIL_PORT=8025 EMAIL_USE_TLS=0.
"""

"""Load test: concurrent visitors create lists and add items over real HTTP, then every item the
server acknowledged is read back and must be there exactly once, with no 5xx on the way.
Meanwhile an owner and a sharee, logged in by emailed link, both add to one private shared list
and tick, edit and delete its items, some of them both at once: each item must end as the last
acknowledged request left it (either person's, where both acted: last write wins), and a
stranger must not see the list (404).

    python -m loadtest http://127.0.0.1:8000 [http://127.0.0.1:8001 …] --clients 8 \\
        --seconds 10

Fit to measure a release: nobody stops at an error. Every failed request is counted by its kind
(connection refused, HTTP 502…), the windows during which requests failed are timed (outages),
and an add that got no answer may or may not have been applied, which the audit allows. The
read-back waits (--read-back-seconds) for a server that does not answer yet. The summary ends
with "N requests, F failed, L lost items, D duplicated" and a verdict; the exit status is 1 if
anything failed, was lost or is unknown.

Several URLs are taken as instances of one app (sharing one database): each visitor spreads its
requests over all of them. Only loopback addresses are accepted (sitekit.loopback). HTTPS works
with a private CA's certificate when REQUESTS_CA_BUNDLE names it; certificates are always checked.
The instances must run in production mode (as sitekit.gunicorn_server starts them:
tests/test_under_load.py) and send their email to the load test's SMTP server, which it starts
on 127.0.0.1:8025 (--mail-port): EMAIL_HOST=127.0.0.1 EMAIL_PORT=8025 EMAIL_USE_TLS=0. A
deployed server sends its mail elsewhere: --anonymous-only runs the anonymous visitors only.
"""

"""Load test: concurrent visitors create lists and add items over real HTTP, then every item the
server acknowledged is read back and must be there exactly once, with no 5xx on the way.

    python -m loadtest http://127.0.0.1:8000 [http://127.0.0.1:8001 …] --clients 8 --seconds 10

Several URLs are taken as instances of one app (sharing one database): each visitor spreads its
requests over all of them. Only loopback addresses are accepted.
"""

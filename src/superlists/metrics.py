"""Prometheus metrics at ``/metrics``: requests by view, method and status, their latency, the
5xx among them, and the time each spent in the database.

prometheus-client itself, not django-prometheus: that one's middleware pair records some
twenty series a request (and its database metrics need its own database backends in
``DATABASES``), where these four are what an operator watches, for a few µs a request. Under
gunicorn the workers are separate processes, each counting its own requests: in
prometheus-client's multiprocess mode they write their counts to files in a shared directory
(``PROMETHEUS_MULTIPROC_DIR``, which gunicorn.conf.py makes, see ``superlists.metrics_processes``)
and a scrape, whichever worker answers it, adds them all up. Without that variable (tests,
``runserver``) the one process's own counts are served.

Who may read them: ``/metrics`` says how busy the site is and which views fail, which is
nobody else's business. A request that came through our proxy (it carries the proxy's
``X-Forwarded-For``) is refused unless its client's address is in
``METRICS_ALLOWED_NETWORKS``; one that came straight to gunicorn (the host itself, the load
balancer's health network) is served. The proxy refuses it from outside as well (the
Caddyfile).
"""

import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from superlists.proxies import behind_our_proxy, client_address

REQUESTS = Counter(
    "superlists_requests", "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)  # fmt: skip
SERVER_ERRORS = Counter(
    "superlists_server_errors", "Requests answered with a 5xx status, by view.", ["view"]
)
LATENCY = Histogram(
    "superlists_request_duration_seconds", "Time to answer a request, by view.", ["view"]
)
DATABASE_TIME = Histogram(
    "superlists_request_database_seconds",
    "Time a request spent waiting for the database, by view.",
    ["view"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
NOT_MEASURED = frozenset({"/metrics", "/healthz"})
# Static files (answered by whitenoise before any URL is resolved) and unknown URLs.
NO_VIEW = "none"


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path in NOT_MEASURED:
            return self.get_response(request)
        started = time.perf_counter()
        with timing_queries() as database_seconds:
            response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else NO_VIEW
        status = response.status_code
        REQUESTS.labels(view, request.method, status).inc()
        if status >= 500:
            SERVER_ERRORS.labels(view).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        DATABASE_TIME.labels(view).observe(database_seconds[0])
        return response


@contextmanager
def timing_queries() -> Iterator[list[float]]:
    """Yield a one-item list holding the seconds spent in database queries in the block."""
    spent = [0.0]

    def timed(execute: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            spent[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        yield spent


def may_read_metrics(request: HttpRequest) -> bool:
    if not behind_our_proxy(request):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format, to the host and the allowed networks; 403 for
    anyone else, who learns nothing more."""
    if not may_read_metrics(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    registry = REGISTRY
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

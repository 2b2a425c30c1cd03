"""Prometheus metrics at ``/metrics``: requests by view, method and status, their latency, the
5xx among them, and the time they spent in the database.

prometheus-client itself, not django-prometheus: that one's middleware pair records some
twenty series a request (and its database metrics need its own database backends in
``DATABASES``), where these four are what an operator watches, for a few µs a request. Under
gunicorn the workers are separate processes, each counting its own requests: in
prometheus-client's multiprocess mode they write their counts to files in a shared directory
(``PROMETHEUS_MULTIPROC_DIR``, which gunicorn.conf.py makes, see
``observability.metrics_processes``) and a scrape, whichever worker answers it, adds them all
up. Without that variable (tests, ``runserver``) the one process's own counts are served.

Who may read them: ``/metrics`` says how busy the site is and which views fail, which is
nobody else's business. A request that came through our proxy (it carries the proxy's
``X-Forwarded-For``) is refused unless its client's address is in
``METRICS_ALLOWED_NETWORKS``; one that came straight to gunicorn (the host itself, the load
balancer's health network) is served. The proxy refuses it from outside as well (the
Caddyfile).
"""

import functools
import ipaddress
import os
import time
from collections.abc import Callable
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

from observability.proxies import behind_our_proxy, client_address

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
# A sum, not a histogram: divided by the requests it says each view's database time per
# request, and it costs one write a request where a histogram costs two.
DATABASE_TIME = Counter(
    "superlists_database_seconds", "Time requests spent waiting for the database, by view.",
    ["view"],
)  # fmt: skip
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
        database = QueryTimer()
        with connection.execute_wrapper(database):
            response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else NO_VIEW
        method = request.method if request.method in METHODS else "other"
        status = response.status_code
        requests_of(view, method, status).inc()
        latency, database_time, server_errors = series_of(view)
        latency.observe(time.perf_counter() - started)
        database_time.inc(database.seconds)
        if status >= 500:
            server_errors.inc()
        return response


# Each series is looked up once per worker, not on every request (prometheus-client's
# labels() takes a lock and checks its arguments each time). There are few: views and statuses
# are ours, and a method outside these is counted as "other", so no client can make more.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@functools.cache
def requests_of(view: str, method: str, status: int) -> Counter:
    return REQUESTS.labels(view, method, status)


@functools.cache
def series_of(view: str) -> tuple[Histogram, Counter, Counter]:
    return LATENCY.labels(view), DATABASE_TIME.labels(view), SERVER_ERRORS.labels(view)


class QueryTimer:
    """A database execute wrapper (Django's ``connection.execute_wrapper``) that adds up the
    time its queries take."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            self.seconds += time.perf_counter() - started


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

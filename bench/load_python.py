"""A small load generator in Python, for machines without wrk.

Threads in one process, so it saturates a server less than wrk does: its figures are only
comparable with each other (the ratios to the ceiling), which is what the targets use.
"""

import http.client
import itertools
import threading
import time
from urllib.parse import urlsplit

from bench.load_spec import LoadResult, LoadSpec


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(int(fraction * len(sorted_values)), len(sorted_values) - 1)
    return sorted_values[index]


def run_python_load(spec: LoadSpec) -> LoadResult:
    target = urlsplit(spec.url)
    path = target.path or "/"
    deadline = time.monotonic() + spec.duration_s
    request_numbers = itertools.count(1)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    socket_errors = 0

    def one_connection() -> None:
        nonlocal socket_errors
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=5)
        while time.monotonic() < deadline:
            number = next(request_numbers)
            if number > spec.max_requests:
                break
            body = f"{spec.body_prefix}py-{number}" if spec.method == "POST" else None
            headers = dict(spec.headers)
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            started = time.perf_counter()
            try:
                connection.request(spec.method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()  # it reopens itself on the next request
                with lock:
                    socket_errors += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    started_at = time.monotonic()
    workers = [threading.Thread(target=one_connection) for _ in range(spec.connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.monotonic() - started_at
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        duration_s=duration,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        statuses=statuses,
        socket_errors=socket_errors,
        generator="python",
    )

"""What one load run asks for (LoadSpec) and what it measured (LoadResult).

The load generator (bench.wrk) takes a LoadSpec and returns a LoadResult.
"""

from dataclasses import dataclass, field

from sitekit.loopback import require_loopback


@dataclass(frozen=True)
class LoadSpec:
    url: str
    duration_s: float
    connections: int
    max_requests: int
    method: str = "GET"
    # POST only: every request sends this prefix plus a unique suffix as its form body.
    body_prefix: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_loopback(self.url)


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: int
    generator: str

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    def unexpected(self, expected_status: int) -> int:
        """Responses with another status than the page should give, plus socket errors."""
        others = sum(count for status, count in self.statuses.items() if status != expected_status)
        return others + self.socket_errors

    def as_json(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "duration_s": round(self.duration_s, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "non_2xx": self.non_2xx,
            "socket_errors": self.socket_errors,
            "generator": self.generator,
        }

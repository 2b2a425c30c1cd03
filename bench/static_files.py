"""The static files as production serves them: the largest one, and the issue's three checks
(compressed, far-future cache headers, hashed names)."""

import json
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import config

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")
ONE_YEAR_S = 365 * 24 * 3600
MAX_AGE = re.compile(r"max-age=(\d+)")


@dataclass(frozen=True)
class StaticVerdict:
    path: str
    content_encoding: str
    cache_control: str
    compressed: bool
    far_future: bool
    hashed: bool

    @property
    def all_met(self) -> bool:
        return self.compressed and self.far_future and self.hashed


def largest_static_file(static_root: Path) -> str:
    """The URL path of the largest file collectstatic hashed, source maps aside (browsers only
    fetch those with developer tools open)."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed_names = [name for name in manifest["paths"].values() if not name.endswith(".map")]
    largest = max(hashed_names, key=lambda name: (static_root / name).stat().st_size)
    return "/static/" + largest


def static_verdict(path: str, headers: dict[str, str]) -> StaticVerdict:
    lowered = {name.lower(): value for name, value in headers.items()}
    encoding = lowered.get("content-encoding", "")
    cache_control = lowered.get("cache-control", "")
    max_age = MAX_AGE.search(cache_control)
    return StaticVerdict(
        path=path,
        content_encoding=encoding or "none",
        cache_control=cache_control or "none",
        compressed=encoding in {"gzip", "br"},
        far_future=bool(max_age and int(max_age.group(1)) >= ONE_YEAR_S),
        hashed=bool(HASHED_NAME.search(path)),
    )


def check_static_file(base_url: str, path: str) -> StaticVerdict:
    request = urllib.request.Request(base_url + path, headers=config.BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        return static_verdict(path, dict(response.headers.items()))

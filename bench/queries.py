"""Queries per request, for each page at two data sizes: do they stay constant as data grows?

Run in a child process with the site's environment (the same production settings as the
server): ``python -m bench.queries SEEDED_JSON``; prints one JSON line. Each request runs in a
transaction that is rolled back, so measuring changes no data.
"""

import json
import sys
from dataclasses import asdict, dataclass

import django

MY_LISTS = "My Lists (logged in)"


@dataclass(frozen=True)
class QueryCount:
    page: str
    sizes: str
    small: int
    large: int

    @property
    def constant(self) -> bool:
        return self.small == self.large


def count_queries(
    method: str, path: str, cookie: str = "", data: dict[str, str] | None = None
) -> int:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import config

    client = Client(SERVER_NAME=config.BIND_HOST)
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        send = client.post if method == "POST" else client.get
        response = send(path, data=data or {})
        transaction.set_rollback(True)
    if response.status_code >= 400:
        raise AssertionError(f"{method} {path} answered {response.status_code}")
    return len(captured)


def measure(seeded: dict[str, str], static_path: str) -> list[QueryCount]:
    from bench import config

    item = {"text": "one more item"}
    items = f"{config.SMALL_LIST_ITEMS} vs {config.LARGE_LIST_ITEMS} items"
    lists = f"{config.FEW_LISTS} vs {config.MANY_LISTS} lists"
    home = count_queries("GET", "/")
    static = count_queries("GET", static_path)
    return [
        QueryCount("home", "-", home, home),
        QueryCount(
            "list page",
            items,
            count_queries("GET", seeded["list_small"]),
            count_queries("GET", seeded["list_large"]),
        ),
        QueryCount(
            MY_LISTS,
            lists,
            count_queries("GET", seeded["my_lists_few"], seeded["my_lists_few_cookie"]),
            count_queries("GET", seeded["my_lists_many"], seeded["my_lists_many_cookie"]),
        ),
        QueryCount(
            "add item (POST)",
            items,
            count_queries("POST", seeded["list_small"], data=item),
            count_queries("POST", seeded["list_large"], data=item),
        ),
        QueryCount("largest static file", "-", static, static),
    ]


if __name__ == "__main__":
    django.setup()
    counts = measure(json.loads(sys.argv[1]), sys.argv[2])
    print(json.dumps([asdict(count) | {"constant": count.constant} for count in counts]))

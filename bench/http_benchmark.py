"""HTTP throughput and latency of each page, and of the ceiling, under production's gunicorn
settings (gunicorn.conf.py), loaded with wrk.

The ceiling is measured first and last: each page is reported as a fraction of their mean, and
the gap between the two says how much the machine's load changed during the run.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from bench import config
from bench.floor_app import MIDDLEWARE_ONLY_PATH, WITH_CSRF_TOKEN_PATH
from bench.load_spec import LoadResult, LoadSpec
from bench.static_files import StaticVerdict, check_static_file, largest_static_file
from bench.throwaway_site import Site
from bench.wrk import run_wrk
from sitekit.gunicorn_server import APP, RunningServer, gunicorn_serving
from sitekit.web_client import WebClient

CEILING_APP = "bench.ceiling_app:application"
CEILING = "ceiling (one-view Django app)"
FLOOR_SETTINGS = "bench.floor_settings"
FLOOR_MIDDLEWARE = "floor: our middleware, fixed response"
FLOOR_CSRF = "floor: the same + a CSRF token"
HOME = "home"
LIST_SMALL = f"list, {config.SMALL_LIST_ITEMS} items"
LIST_LARGE = f"list, {config.LARGE_LIST_ITEMS} items"
MY_LISTS = f"My Lists, {config.MANY_LISTS} lists (logged in)"
ADD_ITEM = "add item (POST, CSRF, unique text)"
LARGEST_STATIC = "largest static file"


@dataclass(frozen=True)
class LoadOptions:
    duration_s: float
    connections: int


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    expected_status: int = 200
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body_prefix: str = ""


@dataclass(frozen=True)
class PageResult:
    page: Page
    result: LoadResult

    def as_json(self, ceiling_rps: float) -> dict[str, object]:
        return {
            "page": self.page.name,
            "method": self.page.method,
            "path": self.page.path,
            **self.result.as_json(),
            "unexpected_status": self.result.unexpected(self.page.expected_status),
            "fraction_of_ceiling": round(self.result.requests_per_second / ceiling_rps, 3)
            if ceiling_rps
            else None,
        }


@dataclass(frozen=True)
class HttpFigures:
    pages: list[PageResult]
    ceiling_first: LoadResult
    ceiling_last: LoadResult
    static: StaticVerdict

    @property
    def ceiling_rps(self) -> float:
        return (self.ceiling_first.requests_per_second + self.ceiling_last.requests_per_second) / 2

    @property
    def ceiling_drift(self) -> float:
        """How far the two ceiling runs differ, relative to their mean: the run's noise."""
        first, last = self.ceiling_first.requests_per_second, self.ceiling_last.requests_per_second
        return abs(first - last) / self.ceiling_rps if self.ceiling_rps else 0.0

    def fraction(self, page_name: str) -> float:
        for page_result in self.pages:
            if page_result.page.name == page_name:
                return page_result.result.requests_per_second / self.ceiling_rps
        raise KeyError(page_name)

    def as_json(self) -> dict[str, object]:
        return {
            "ceiling": {
                "first": self.ceiling_first.as_json(),
                "last": self.ceiling_last.as_json(),
                "mean_requests_per_second": round(self.ceiling_rps, 1),
                "drift": round(self.ceiling_drift, 3),
            },
            "pages": [page.as_json(self.ceiling_rps) for page in self.pages],
            "static_file_checks": self.static.__dict__ | {"all_met": self.static.all_met},
        }


def app_pages(site: Site, base_url: str) -> list[Page]:
    seeded = site.seeded
    post_target = seeded["list_for_posts"]
    # wrk sends the form in the name of a visitor who has opened the page: its cookie, its token.
    with WebClient(base_url) as visitor:
        form_page = visitor.get(post_target)
        csrf_token, cookie_header = visitor.csrf_token(form_page), visitor.cookie_header()
    return [
        Page(HOME, "/"),
        Page(LIST_SMALL, seeded["list_small"]),
        Page(LIST_LARGE, seeded["list_large"]),
        Page(
            MY_LISTS,
            seeded["my_lists_many"],
            headers={"Cookie": seeded["my_lists_many_cookie"]},
        ),
        Page(
            ADD_ITEM,
            post_target,
            expected_status=302,
            method="POST",
            headers={"Cookie": cookie_header},
            body_prefix=f"csrfmiddlewaretoken={csrf_token}&text=bench-item-",
        ),
        Page(LARGEST_STATIC, largest_static_file(site.static_root)),
    ]


def load_page(server: RunningServer, page: Page, options: LoadOptions) -> LoadResult:
    spec = LoadSpec(
        url=server.base_url + page.path,
        duration_s=options.duration_s,
        connections=options.connections,
        max_requests=config.MAX_REQUESTS_PER_RUN,
        method=page.method,
        body_prefix=page.body_prefix,
        headers=config.BROWSER_HEADERS | page.headers,
    )
    return run_wrk(spec)


def warm_up(server: RunningServer, pages: list[Page], options: LoadOptions) -> None:
    """Let every worker import, connect and compile templates before anything is timed."""
    short = LoadOptions(duration_s=1, connections=options.connections)
    for page in pages:
        if page.method == "GET":
            load_page(server, page, short)


def measure_ceiling(
    site: Site, options: LoadOptions, progress: Callable[[str], None]
) -> LoadResult:
    with gunicorn_serving(site.env, CEILING_APP, site.directory / "ceiling.log") as server:
        ceiling = Page(CEILING, "/")
        warm_up(server, [ceiling], options)
        result = load_page(server, ceiling, options)
    progress(f"{CEILING}: {result.requests_per_second:,.0f} req/s")
    return result


def measure_floor(
    site: Site, options: LoadOptions, progress: Callable[[str], None]
) -> list[PageResult]:
    env = {**site.env, "DJANGO_SETTINGS_MODULE": FLOOR_SETTINGS}
    floor_pages = [
        Page(FLOOR_MIDDLEWARE, MIDDLEWARE_ONLY_PATH),
        Page(FLOOR_CSRF, WITH_CSRF_TOKEN_PATH),
    ]
    results = []
    with gunicorn_serving(env, APP, site.directory / "floor.log") as server:
        warm_up(server, floor_pages, options)
        for page in floor_pages:
            result = load_page(server, page, options)
            progress(f"{page.name}: {result.requests_per_second:,.0f} req/s")
            results.append(PageResult(page, result))
    return results


def measure_http(
    site: Site,
    options: LoadOptions,
    progress: Callable[[str], None],
    profile: Callable[[RunningServer, Callable[[], object]], object] | None = None,
) -> HttpFigures:
    """Every page, between two ceiling runs. ``profile`` gets the server and a function that
    loads the list page with 20 items, to run it under a profiler."""
    ceiling_first = measure_ceiling(site, options, progress)
    results = measure_floor(site, options, progress)
    with gunicorn_serving(site.env, APP, site.directory / "app.log") as server:
        pages = app_pages(site, server.base_url)
        warm_up(server, pages, options)
        for page in pages:
            result = load_page(server, page, options)
            progress(f"{page.name}: {result.requests_per_second:,.0f} req/s")
            results.append(PageResult(page, result))
        static = check_static_file(server.base_url, pages[-1].path)
        if profile is not None:
            list_page = next(page for page in pages if page.name == LIST_SMALL)
            profile(server, lambda: load_page(server, list_page, options))
    ceiling_last = measure_ceiling(site, options, progress)
    return HttpFigures(results, ceiling_first, ceiling_last, static)

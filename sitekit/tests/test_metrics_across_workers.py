"""/metrics on production's gunicorn (gunicorn.conf.py: two workers, each its own process)
counts every worker's requests, whichever worker answers the scrape."""

import re
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from sitekit import config
from sitekit.gunicorn_server import gunicorn_serving
from sitekit.instances import instances_env

REQUESTS = 60
HOME_COUNT = re.compile(
    r'^superlists_requests_total\{method="GET",status="200",view="home"\} (\S+)$', re.MULTILINE
)


class MetricsAcrossWorkersTest(unittest.TestCase):
    def test_every_workers_requests_are_counted(self) -> None:
        with (
            tempfile.TemporaryDirectory() as directory,
            instances_env({"DJANGO_DB_PATH": f"{directory}/db.sqlite3"}) as (env, _),
        ):
            metrics_dir = Path(directory) / "metrics"
            env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
            with gunicorn_serving(env) as server:
                headers = {"Host": config.BIND_HOST}

                def home_count() -> float:
                    scrape = requests.get(server.base_url + "/metrics", headers=headers, timeout=10)
                    self.assertEqual(scrape.status_code, 200)
                    found = HOME_COUNT.search(scrape.text)
                    return float(found.group(1)) if found else 0.0

                def workers_counting() -> set[str]:
                    return {path.name for path in metrics_dir.glob("counter_*.db")}

                before = home_count()  # gunicorn_serving's own requests, waiting for it
                # Many at once, on new connections, in batches until both workers have taken a
                # share (on a busy machine one may take a whole batch).
                sent = 0
                deadline = time.monotonic() + 30
                with ThreadPoolExecutor(max_workers=8) as pool:
                    while sent == 0 or (
                        len(workers_counting()) < 2 and time.monotonic() < deadline
                    ):
                        statuses = list(pool.map(
                            lambda _: requests.get(server.base_url + "/", timeout=10).status_code,
                            range(REQUESTS),
                        ))  # fmt: skip
                        self.assertEqual(statuses, [200] * REQUESTS)
                        sent += REQUESTS
                counting = workers_counting()
                # Every scrape, whichever worker answers it, sees them all.
                counts = {home_count() - before for _ in range(6)}
        self.assertEqual(len(counting), 2, counting)
        self.assertEqual(counts, {sent})


if __name__ == "__main__":
    unittest.main()

"""`python -m infra.logs`: reading, merging and filtering the hosts' logs (the SSH part runs in
infra/staging_tests/test_logs_command.py, against the stand-in staging host)."""

import contextlib
import io
import json
import unittest

from infra.logs.__main__ import arguments, containers_of, hosts_of, split_by_container
from infra.logs.entries import merged, read, selected, shown

REQUEST_ID = "5d0c8a1e-8d8e-4a8b-9f1a-2b7a40a3c0de"
APP_LOG = f"""\
2026-12-07T03:50:01.100000000Z INFO 2026-12-07 03:50:01,099 - django.server started
2026-12-07T03:50:02.200000000Z INFO 2026-12-07 03:50:02,199 {REQUEST_ID} superlists.requests GET / 200 3.1 ms user - from 10.0.0.9
2026-12-07T03:50:03.300000000Z ERROR 2026-12-07 03:50:03,299 {REQUEST_ID} accounts.views Could not send
2026-12-07T03:50:03.300000100Z Traceback (most recent call last):
2026-12-07T03:50:03.300000200Z smtplib.SMTPSenderRefused: (530, b'5.7.0 Authentication required', '<email>')
2026-12-07T03:50:04.400000000Z WARNING 2026-12-07 03:50:04,399 0123456789abcdef superlists.requests GET /nope 404 1.0 ms user - from 10.0.0.9
"""  # noqa: E501
CADDY_404 = {
    "level": "error",  # Caddy 2.6 writes every 4xx at "error"
    "logger": "http.log.access.log0",
    "status": 404,
    "resp_headers": {"X-Request-Id": ["0123456789abcdef"]},
}
CADDY_200 = {**CADDY_404, "level": "info", "status": 200,
             "resp_headers": {"X-Request-Id": [REQUEST_ID]}}  # fmt: skip
PROXY_LOG = (
    f"2026-12-07T03:50:02.15Z {json.dumps(CADDY_200)}\n"
    f"2026-12-07T03:50:04.5+00:00 {json.dumps(CADDY_404)}\n"
)


class ReadingTest(unittest.TestCase):
    def test_a_traceback_belongs_to_the_entry_it_follows(self) -> None:
        entries = read("staging superlists", APP_LOG)
        self.assertEqual([each.level for each in entries], ["INFO", "INFO", "ERROR", "WARNING"])
        error = entries[2]
        self.assertEqual(error.request_id, REQUEST_ID)
        self.assertTrue(error.text.endswith("(530, b'5.7.0 Authentication required', '<email>')"))
        self.assertEqual(entries[0].request_id, "")  # "-": outside a request

    def test_the_proxys_access_log_by_status_and_response_id(self) -> None:
        [ok, missing] = read("staging superlists-proxy", PROXY_LOG)
        self.assertEqual((ok.level, ok.request_id), ("INFO", REQUEST_ID))
        self.assertEqual((missing.level, missing.request_id), ("WARNING", "0123456789abcdef"))

    def test_the_apps_json_lines(self) -> None:
        line = json.dumps({"level": "ERROR", "request_id": REQUEST_ID, "message": "boom"})
        [entry] = read("app", f"2026-12-07T03:50:01Z {line}")
        self.assertEqual((entry.level, entry.request_id), ("ERROR", REQUEST_ID))


class MergingAndFilteringTest(unittest.TestCase):
    def setUp(self) -> None:
        self.entries = merged(
            read("staging superlists", APP_LOG), read("staging superlists-proxy", PROXY_LOG)
        )

    def test_hosts_and_containers_interleave_by_docker_time(self) -> None:
        self.assertEqual(
            [(each.source.split()[1], each.level) for each in self.entries],
            [
                ("superlists", "INFO"),
                ("superlists-proxy", "INFO"),  # 03:50:02.15, before the app's 02.2
                ("superlists", "INFO"),
                ("superlists", "ERROR"),
                ("superlists", "WARNING"),
                ("superlists-proxy", "WARNING"),
            ],
        )

    def test_within_a_second_by_the_lines_own_times(self) -> None:
        # Podman stamps to the second: the proxy's line (its own ts) after the app's (asctime)
        app = read(
            "h superlists", f"2026-12-07T03:50:02Z {APP_LOG.splitlines()[1].split(' ', 1)[1]}"
        )
        proxy_line = json.dumps({**CADDY_200, "ts": 1796615402.25})  # 2026-12-07T03:50:02.25Z
        proxy = read("h superlists-proxy", f"2026-12-07T03:50:02Z {proxy_line}")
        self.assertEqual(
            [each.source for each in merged(proxy, app)], ["h superlists", "h superlists-proxy"]
        )

    def test_one_request_by_its_reference(self) -> None:
        found = selected(self.entries, request=REQUEST_ID[:8])
        self.assertEqual(len(found), 3)
        self.assertEqual({each.request_id for each in found}, {REQUEST_ID})

    def test_errors_only(self) -> None:
        [error] = selected(self.entries, level="ERROR")
        self.assertIn("SMTPSenderRefused", error.text)
        self.assertEqual(len(selected(self.entries, level="WARNING")), 3)

    def test_each_entry_shown_with_its_time_and_place(self) -> None:
        text = shown(selected(self.entries, level="ERROR"))
        self.assertTrue(
            text.startswith("2026-12-07T03:50:03.300000000Z staging superlists | ERROR")
        )


LISTING = {
    "_meta": {"hostvars": {"lb1": {"log_containers": ["haproxy"]}, "app1": {}, "app2": {}}},
    "all": {"children": ["ungrouped", "production"]},
    "production": {"children": ["lb", "app"]},
    "lb": {"hosts": ["lb1"]},
    "app": {"hosts": ["app1", "app2"]},
}


class InventoryTest(unittest.TestCase):
    def test_a_group_is_its_hosts_and_its_groups_hosts(self) -> None:
        self.assertEqual(set(hosts_of(LISTING, "production")), {"lb1", "app1", "app2"})
        self.assertEqual(set(hosts_of(LISTING, "app")), {"app1", "app2"})
        self.assertEqual(set(hosts_of(LISTING, "app2")), {"app2"})

    def test_an_unknown_group_is_named_with_the_ones_there_are(self) -> None:
        with self.assertRaisesRegex(Exception, r"'stagign' is neither .* groups: .*app, lb"):
            hosts_of(LISTING, "stagign")

    def test_the_app_and_proxy_containers_unless_the_host_names_others(self) -> None:
        self.assertEqual(
            containers_of({"container_name": "superlists-production"}),
            ["superlists-production", "superlists-production-next", "superlists-production-proxy"],
        )
        self.assertEqual(containers_of({"log_containers": ["haproxy"]}), ["haproxy"])

    def test_one_hosts_output_split_by_container(self) -> None:
        output = (
            "=== infra.logs container superlists\na\nb\n"
            "=== infra.logs container superlists-proxy\nc"
        )
        self.assertEqual(
            split_by_container(output), {"superlists": "a\nb", "superlists-proxy": "c"}
        )


class ArgumentsTest(unittest.TestCase):
    def test_since_and_request_are_checked_before_any_ssh(self) -> None:
        for bad in (["staging", "--since", "yesterday"], ["staging", "--request", "a;rm"]):
            with self.subTest(bad), contextlib.redirect_stderr(io.StringIO()) as err:
                with self.assertRaises(SystemExit):
                    arguments(bad)
                self.assertIn("--", err.getvalue())
        given = arguments(["staging", "--since", "2h", "--request", "5d0c8a1e", "--level", "ERROR"])
        self.assertEqual((given.since, given.request, given.level), ("2h", "5d0c8a1e", "ERROR"))

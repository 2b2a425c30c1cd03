import re

from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from observability.request_ids import REFERENCE_LENGTH, reference, request_id_for

CADDY_ID = "3f1c2a9e-7d4b-4c1e-9a0b-5e6f7a8b9c0d"


def is_made_here(value: str) -> bool:
    return re.fullmatch(r"[0-9a-f]{32}", value) is not None


class RequestIdForTest(SimpleTestCase):
    """The ID is our proxy's if it came through it and looks like one; otherwise made here."""

    def request(self, request_id: str, forwarded_for: str | None = "203.0.113.9") -> str:
        headers = {"X-Request-ID": request_id}
        if forwarded_for is not None:
            headers["X-Forwarded-For"] = forwarded_for
        return request_id_for(RequestFactory().get("/", headers=headers))

    @override_settings(REVERSE_PROXIES=1)
    def test_behind_our_proxy_its_id_is_kept(self) -> None:
        self.assertEqual(self.request(CADDY_ID), CADDY_ID)
        self.assertEqual(self.request("abcdef12"), "abcdef12")

    @override_settings(REVERSE_PROXIES=0)
    def test_without_a_proxy_a_clients_id_is_not_believed(self) -> None:
        made = self.request(CADDY_ID)
        self.assertNotEqual(made, CADDY_ID)
        self.assertTrue(is_made_here(made))

    @override_settings(REVERSE_PROXIES=1)
    def test_a_request_that_did_not_come_through_the_proxy_gets_its_own(self) -> None:
        # Straight to gunicorn (the host's health check): no X-Forwarded-For from the proxy.
        self.assertNotEqual(self.request(CADDY_ID, forwarded_for=None), CADDY_ID)

    @override_settings(REVERSE_PROXIES=1)
    def test_a_malformed_id_is_replaced(self) -> None:
        bad_ids = ["", "short", "x" * 65, "abc def ghi", "id\nFAKE LOG LINE", "<script>1</script>"]
        for bad in bad_ids:
            with self.subTest(bad=bad):
                made = self.request(bad)
                self.assertTrue(is_made_here(made), made)

    def test_every_request_made_here_gets_a_different_id(self) -> None:
        self.assertNotEqual(self.request(""), self.request(""))


@override_settings(ROOT_URLCONF="observability.tests.urls_failing")
class ResponsesAndPagesTest(TestCase):
    def test_every_response_carries_its_id(self) -> None:
        first = self.client.get("/")["X-Request-ID"]
        second = self.client.get("/")["X-Request-ID"]
        self.assertTrue(is_made_here(first) and is_made_here(second))
        self.assertNotEqual(first, second)

    @override_settings(REVERSE_PROXIES=1)
    def test_the_proxys_id_comes_back(self) -> None:
        response = self.client.get(
            "/", headers={"X-Request-ID": CADDY_ID, "X-Forwarded-For": "203.0.113.9"}
        )
        self.assertEqual(response["X-Request-ID"], CADDY_ID)

    def test_error_pages_show_the_reference_of_their_request(self) -> None:
        self.client.raise_request_exception = False
        for url, status in [
            ("/lists/AAAAAAAAAAAAAAAAAAAAAA/", 404),
            ("/fail/500", 500),
            ("/fail/400", 400),
            ("/fail/403", 403),
        ]:
            with self.subTest(status=status), self.assertLogs(level="WARNING"):
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                short = reference(response["X-Request-ID"])
                self.assertEqual(len(short), REFERENCE_LENGTH)
                self.assertContains(
                    response, f'<strong id="id_request_reference">{short}</strong>',
                    status_code=status,
                )  # fmt: skip

    def test_a_failed_csrf_check_shows_our_403_page_with_its_reference(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        with self.assertLogs("django.security.csrf", "WARNING"):
            response = self.client.post("/lists/new", {"text": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, reference(response["X-Request-ID"]), status_code=403)
        self.assertContains(response, "Not allowed", status_code=403)

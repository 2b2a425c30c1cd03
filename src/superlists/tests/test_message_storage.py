import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import cookie
from django.contrib.messages.storage.fallback import FallbackStorage as DjangosFallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, TestCase

from superlists.message_storage import CookieStorage, FallbackStorage


def request_with_session() -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


class MessageStorageTest(TestCase):
    def test_the_sites_storage(self) -> None:
        self.assertEqual(settings.MESSAGE_STORAGE, "superlists.message_storage.FallbackStorage")

    def test_no_signer_is_made_for_a_request_without_messages(self) -> None:
        request = request_with_session()
        storage = FallbackStorage(request)
        self.assertEqual(list(storage), [])
        storage.update(HttpResponse())
        self.assertNotIn("signer", vars(storage.storages[0]))

    def test_the_cookie_storage_is_djangos_once_its_signer_is_made(self) -> None:
        request = request_with_session()
        ours, djangos = CookieStorage(request), cookie.CookieStorage(request)
        self.assertEqual(ours.signer.signature("x"), vars(djangos)["signer"].signature("x"))
        self.assertEqual(vars(ours).keys(), vars(djangos).keys())

    def test_a_message_goes_through_the_cookie_to_the_next_page(self) -> None:
        first = request_with_session()
        storage = FallbackStorage(first)
        storage.add(messages.SUCCESS, "Renamed the list.")
        response = HttpResponse()
        storage.update(response)
        self.assertIn(CookieStorage.cookie_name, response.cookies)
        self.assertEqual(dict(first.session), {})

        second = request_with_session()
        second.COOKIES[CookieStorage.cookie_name] = response.cookies[
            CookieStorage.cookie_name
        ].value
        # Django's own storage reads what ours wrote, and the other way round.
        self.assertEqual([str(m) for m in DjangosFallbackStorage(second)], ["Renamed the list."])
        self.assertEqual([str(m) for m in FallbackStorage(second)], ["Renamed the list."])

    def test_what_does_not_fit_in_the_cookie_goes_to_the_session(self) -> None:
        request = request_with_session()
        storage = FallbackStorage(request)
        for _ in range(40):
            storage.add(messages.INFO, secrets.token_hex(100))  # random: no compressing it
        storage.update(HttpResponse())
        self.assertIn("_messages", request.session)

    def test_a_tampered_cookie_is_ignored(self) -> None:
        request = request_with_session()
        request.COOKIES[CookieStorage.cookie_name] = "forged:value"
        self.assertEqual(list(FallbackStorage(request)), [])

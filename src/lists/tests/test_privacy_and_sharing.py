import re
import smtplib
from typing import TYPE_CHECKING
from unittest import mock

from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, override_settings
from django.utils.html import escape

from accounts.models import User
from lists.forms import ALREADY_SHARED_ERROR, SHARE_INVALID_EMAIL_ERROR, SHARE_WITH_YOURSELF_ERROR
from lists.models import Item, List
from lists.tests.people import EdithsSharedListTestCase
from lists.views import LOG_IN_FOR_MY_LISTS, SHARE_EMAIL_NOT_SENT, SHARE_EMAIL_SUBJECT
from superlists.pseudonyms import pseudonym
from superlists.request_ids import QUOTE_THE_REFERENCE, reference

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def without_csrf_token(page: bytes) -> bytes:
    """The page, less its CSRF token (masked anew on every response) and its request's
    reference (new for every request)."""
    page = re.sub(rb'id="id_request_reference">[^<]+<', b"", page)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


class OwnedListTestCase(EdithsSharedListTestCase):
    """Edith's list, shared with Oni; Mallory is logged in but neither."""

    def setUp(self) -> None:
        super().setUp()
        Item.objects.create(list=self.list, text="Get help")

    def assert_is_the_404_page(self, response: "TestResponse") -> None:
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")
        self.assertNotContains(response, "Get help", status_code=404)


class PrivateListTest(OwnedListTestCase):
    def test_owner_and_sharee_see_the_list(self) -> None:
        for user in [self.edith, self.oni]:
            with self.subTest(user=user):
                response = self.as_user(user).get(self.url)
                self.assertContains(response, "1: Get help")

    def test_anyone_else_gets_the_404_page(self) -> None:
        for user in [None, self.mallory]:
            with self.subTest(user=user):
                self.assert_is_the_404_page(self.as_user(user).get(self.url))

    def test_the_404_is_the_same_as_for_a_list_that_does_not_exist(self) -> None:
        missing = self.as_user(self.mallory).get("/lists/" + "A" * 22 + "/")
        private = self.as_user(self.mallory).get(self.url)
        self.assertEqual(private.status_code, missing.status_code)
        self.assertEqual(without_csrf_token(private.content), without_csrf_token(missing.content))

    def test_owner_and_sharee_can_add_items(self) -> None:
        self.as_user(self.edith).post(self.url, {"text": "from Edith"})
        self.as_user(self.oni).post(self.url, {"text": "Hi Edith!"})
        self.assertEqual(
            list(self.list.item_set.values_list("text", flat=True)),
            ["Get help", "from Edith", "Hi Edith!"],
        )

    def test_nobody_else_can_add_items(self) -> None:
        for user in [None, self.mallory]:
            with self.subTest(user=user):
                response = self.as_user(user).post(self.url, {"text": "sneaky"})
                self.assert_is_the_404_page(response)
        self.assertFalse(Item.objects.filter(text="sneaky").exists())

    def test_an_unshared_person_loses_access(self) -> None:
        self.list.shared_with.remove(self.oni)
        self.assert_is_the_404_page(self.as_user(self.oni).get(self.url))

    def test_a_list_made_without_logging_in_is_anyones_with_the_link(self) -> None:
        anyones = List.objects.create()
        for user in [None, self.mallory]:
            with self.subTest(user=user):
                client = self.as_user(user)
                client.post(anyones.get_absolute_url(), {"text": f"from {user}"})
                self.assertContains(client.get(anyones.get_absolute_url()), f"from {user}")

    def test_a_neighbouring_key_finds_nothing(self) -> None:
        key = self.list.key
        neighbour = key[:-1] + ("A" if key[-1] != "A" else "B")
        self.assert_is_the_404_page(self.as_user(self.edith).get(f"/lists/{neighbour}/"))

    def test_list_page_queries_do_not_grow_with_items_or_sharees(self) -> None:
        client = self.as_user(self.edith)
        # the session, the user, the list, its sharees, its items
        with self.assertNumQueries(5):
            client.get(self.url)
        # a sharee's too: the sharees that let Oni in are the ones the page shows
        oni = self.as_user(self.oni)
        with self.assertNumQueries(5):
            oni.get(self.url)
        for number in range(20):
            Item.objects.create(list=self.list, text=f"item {number}")
            self.list.shared_with.add(User.objects.create(email=f"friend{number}@example.com"))
        with self.assertNumQueries(5):
            response = client.get(self.url)
        self.assertContains(response, "friend19@example.com")
        self.assertContains(response, "21: item 19")


class NumberedUrlTest(OwnedListTestCase):
    """Lists made before keys keep their old /lists/<id>/ URL, as a redirect."""

    def setUp(self) -> None:
        super().setUp()
        List.objects.filter(pk=self.list.pk).update(has_numbered_url=True)
        self.numbered_url = f"/lists/{self.list.id}/"

    def test_redirects_whoever_may_see_the_list_to_its_key(self) -> None:
        for user in [self.edith, self.oni]:
            with self.subTest(user=user):
                self.assertRedirects(self.as_user(user).get(self.numbered_url), self.url)

    def test_is_the_404_page_for_anyone_else(self) -> None:
        for user in [None, self.mallory]:
            with self.subTest(user=user):
                self.assert_is_the_404_page(self.as_user(user).get(self.numbered_url))

    def test_new_lists_have_no_numbered_url(self) -> None:
        newer = List.objects.create(owner=self.edith)
        self.assert_is_the_404_page(self.as_user(self.edith).get(f"/lists/{newer.id}/"))

    def test_a_post_to_a_numbered_url_is_a_404_not_a_lost_redirect(self) -> None:
        response = self.as_user(self.edith).post(self.numbered_url, {"text": "x"})
        self.assertEqual(response.status_code, 404)

    def test_a_number_too_big_for_any_id_is_a_404(self) -> None:
        response = self.as_user(self.edith).get("/lists/" + "9" * 30 + "/")
        self.assertEqual(response.status_code, 404)


class MyListsPrivacyTest(OwnedListTestCase):
    def test_shows_the_users_own_and_shared_lists(self) -> None:
        response = self.as_user(self.oni).get("/lists/users/oni@example.com/")
        self.assertContains(response, "Lists shared with me")
        self.assertContains(
            response, f'<a href="{self.url}">Get help</a> (edith@example.com\'s list)'
        )

    def test_another_users_my_lists_is_the_404_page(self) -> None:
        response = self.as_user(self.mallory).get("/lists/users/edith@example.com/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")

    def test_an_unknown_user_is_the_404_page_too(self) -> None:
        response = self.as_user(self.mallory).get("/lists/users/nobody@example.com/")
        self.assertEqual(response.status_code, 404)

    def test_an_anonymous_visitor_is_told_to_log_in(self) -> None:
        response = self.as_user(None).get("/lists/users/edith@example.com/", follow=True)
        self.assertRedirects(response, "/")
        self.assertContains(response, LOG_IN_FOR_MY_LISTS)
        self.assertNotContains(response, "Get help")


@override_settings(SITE_URL="https://superlists.example.com")
class ShareListTest(OwnedListTestCase):
    def share(self, sharee: str, user: User | None = None) -> "TestResponse":
        client = self.as_user(user or self.edith)
        return client.post(f"{self.url}share", {"sharee": sharee})

    def test_owner_sees_the_share_box_and_who_it_is_shared_with(self) -> None:
        response = self.as_user(self.edith).get(self.url)
        self.assertContains(response, 'name="sharee"')
        self.assertContains(response, 'placeholder="your-friend@example.com"')
        self.assertContains(response, '<span class="list-sharee">oni@example.com</span>')
        self.assertContains(response, '<span id="id_list_owner">edith@example.com</span>')

    def test_a_sharee_sees_who_it_is_shared_with_but_no_share_box(self) -> None:
        response = self.as_user(self.oni).get(self.url)
        self.assertContains(response, '<span class="list-sharee">oni@example.com</span>')
        self.assertNotContains(response, 'name="sharee"')
        self.assertContains(response, "Leave this list")

    def test_a_list_without_owner_has_no_sharing(self) -> None:
        anyones = List.objects.create()
        response = self.as_user(self.edith).get(anyones.get_absolute_url())
        self.assertNotContains(response, "Shared with")
        self.assertNotContains(response, 'name="sharee"')

    def test_sharing_adds_the_sharee_and_redirects_to_the_list(self) -> None:
        response = self.share("newfriend@example.com")
        self.assertRedirects(response, self.url)
        self.assertIn("newfriend@example.com", {u.email for u in self.list.shared_with.all()})

    @override_settings(ALLOWED_HOSTS=["attacker.example"])
    def test_the_sharee_is_emailed_a_link_from_site_url_not_the_host_header(self) -> None:
        self.as_user(self.edith).post(
            f"{self.url}share", {"sharee": "newfriend@example.com"}, HTTP_HOST="attacker.example"
        )
        (email,) = mail.outbox
        self.assertEqual(email.to, ["newfriend@example.com"])
        self.assertEqual(email.subject, SHARE_EMAIL_SUBJECT.format(owner="edith@example.com"))
        self.assertIn(f"https://superlists.example.com{self.url}", email.body)
        self.assertNotIn("attacker", email.body)

    def test_if_the_mail_server_refuses_the_share_stands_and_the_owner_is_told(self) -> None:
        refusal = smtplib.SMTPSenderRefused(530, b"5.7.0 Authentication required", "noreply")
        with (
            mock.patch("lists.views.send_mail", side_effect=refusal),
            self.assertLogs("lists.views", "ERROR") as logs,
        ):
            response = self.share("newfriend@example.com")
        self.assertRedirects(response, self.url)
        self.assertTrue(self.list.shared_with.filter(email="newfriend@example.com").exists())
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(
            messages,
            [
                SHARE_EMAIL_NOT_SENT.format(sharee="newfriend@example.com")
                + " "
                + QUOTE_THE_REFERENCE.format(reference=reference(response["X-Request-ID"]))
            ],
        )
        self.assertIn("SMTPSenderRefused", logs.output[0])
        self.assertIn(f"to user {pseudonym('newfriend@example.com')}", logs.output[0])
        self.assertNotIn("newfriend", logs.output[0])

    def test_bad_input_is_a_form_error_on_the_list_page_and_nothing_is_shared(self) -> None:
        cases = {
            "not-an-address": SHARE_INVALID_EMAIL_ERROR,
            "": SHARE_INVALID_EMAIL_ERROR,
            "x" * 5000 + "@example.com": SHARE_INVALID_EMAIL_ERROR,
            '<img src=x onerror="alert(1)">@example.com': SHARE_INVALID_EMAIL_ERROR,
            "edith@example.com": SHARE_WITH_YOURSELF_ERROR,
            "oni@example.com": ALREADY_SHARED_ERROR,
        }
        for sharee, error in cases.items():
            with self.subTest(sharee=sharee[:30]):
                response = self.share(sharee)
                self.assertContains(response, escape(error))
                self.assertTemplateUsed(response, "list.html")
                self.assertNotContains(response, "<img src=x")
        self.assertEqual(list(self.list.shared_with.all()), [self.oni])
        self.assertEqual(User.objects.count(), 3)
        self.assertEqual(mail.outbox, [])

    def test_only_the_owner_can_share(self) -> None:
        for user in [self.oni, self.mallory]:
            with self.subTest(user=user):
                self.assert_is_the_404_page(self.share("x@example.com", user))
        anonymous = Client().post(f"{self.url}share", {"sharee": "x@example.com"})
        self.assertEqual(anonymous.status_code, 404)
        self.assertFalse(User.objects.filter(email="x@example.com").exists())

    def test_a_list_without_owner_cannot_be_shared(self) -> None:
        anyones = List.objects.create()
        response = self.as_user(self.edith).post(
            f"{anyones.get_absolute_url()}share", {"sharee": "x@example.com"}
        )
        self.assertEqual(response.status_code, 404)

    def test_sharing_needs_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.edith)
        response = client.post(f"{self.url}share", {"sharee": "x@example.com"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(email="x@example.com").exists())

    def test_get_is_not_allowed(self) -> None:
        self.assertEqual(self.as_user(self.edith).get(f"{self.url}share").status_code, 405)


class UnshareTest(OwnedListTestCase):
    def test_the_owner_removes_a_sharee(self) -> None:
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "oni@example.com"}
        )
        self.assertRedirects(response, self.url)
        self.assertEqual(self.list.shared_with.count(), 0)
        self.assert_is_the_404_page(self.as_user(self.oni).get(self.url))

    def test_removing_someone_who_is_not_a_sharee_says_so(self) -> None:
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "mallory@example.com"}, follow=True
        )
        self.assertContains(response, "This list isn&#x27;t shared with mallory@example.com")
        self.assertEqual(self.list.shared_with.count(), 1)

    def test_only_the_owner_removes_sharees(self) -> None:
        for user in [None, self.oni, self.mallory]:
            with self.subTest(user=user):
                response = self.as_user(user).post(
                    f"{self.url}sharees/remove", {"sharee": "oni@example.com"}
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.list.shared_with.count(), 1)

    def test_a_sharee_leaves_the_list(self) -> None:
        response = self.as_user(self.oni).post(f"{self.url}leave")
        self.assertRedirects(response, "/lists/users/oni@example.com/")
        self.assertEqual(self.list.shared_with.count(), 0)

    def test_only_a_sharee_can_leave(self) -> None:
        for user in [None, self.edith, self.mallory]:
            with self.subTest(user=user):
                self.assertEqual(self.as_user(user).post(f"{self.url}leave").status_code, 404)
        self.assertEqual(self.list.shared_with.count(), 1)

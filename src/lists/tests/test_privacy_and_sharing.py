import re
import smtplib
from datetime import timedelta
from typing import TYPE_CHECKING
from unittest import mock

import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils.html import escape

from accounts.authentication import PasswordlessAuthenticationBackend
from accounts.models import User
from accounts.tests.test_throttling import MID_MINUTE
from accounts.tokens import issue_login_token
from lists.forms import (
    ALREADY_SHARED_ERROR,
    SHARE_INVALID_EMAIL_ERROR,
    SHARE_WITH_YOURSELF_ERROR,
    TOO_MANY_SHARES_ERROR,
    ShareListForm,
)
from lists.models import Item, List
from lists.tests.people import EdithsSharedListTestCase
from lists.views import (
    LOG_IN_FOR_MY_LISTS,
    NOT_A_SHAREE,
    SHARE_EMAIL_NOT_SENT,
    SHARE_EMAIL_SUBJECT,
    SHAREE_REMOVED,
)
from observability.pseudonyms import pseudonym
from observability.request_ids import QUOTE_THE_REFERENCE, reference

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

    def test_a_share_that_another_request_made_first_sends_no_second_email(self) -> None:
        def shared_meanwhile(form: ShareListForm) -> User | None:
            self.list.shared_with.add(User.objects.create(email="newfriend@example.com"))
            return real_save(form)

        real_save = ShareListForm.save
        with mock.patch.object(ShareListForm, "save", shared_meanwhile):
            response = self.share("newfriend@example.com")
        self.assertContains(response, escape(ALREADY_SHARED_ERROR))
        self.assertEqual(mail.outbox, [])


@override_settings(
    SHARE_EMAILS_PER_MINUTE_PER_OWNER=10,
    SHARE_EMAILS_PER_MINUTE_PER_ADDRESS=3,
    SHARE_EMAILS_PER_MINUTE_PER_IP=20,
)
class ShareEmailLimitsTest(OwnedListTestCase):
    """Sharing sends an email: as many as login emails (accounts.throttling) and no more."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        travel = time_machine.travel(MID_MINUTE, tick=False)
        travel.start()
        self.addCleanup(travel.stop)

    def share(
        self, sharee: str, owner: User | None = None, ip: str = "192.0.2.1"
    ) -> "TestResponse":
        owner = owner or self.edith
        their_list = self.list if owner == self.edith else List.objects.create(owner=owner)
        return self.as_user(owner).post(
            f"{their_list.get_absolute_url()}share", {"sharee": sharee}, REMOTE_ADDR=ip
        )

    def unshare(self, sharee: str) -> None:
        self.as_user(self.edith).post(f"{self.url}sharees/remove", {"sharee": sharee})

    def assert_refused(self, response: "TestResponse") -> None:
        self.assertContains(response, escape(TOO_MANY_SHARES_ERROR), status_code=429)
        self.assertEqual(response["Retry-After"], "60")

    def test_sharing_and_removing_one_address_again_and_again(self) -> None:
        for _ in range(3):
            self.assertEqual(self.share("frank@example.com").status_code, 302)
            self.unshare("frank@example.com")
        self.assert_refused(self.share("FRANK@example.com"))
        self.assertEqual(len(mail.outbox), 3)
        self.assertFalse(self.list.shared_with.filter(email="frank@example.com").exists())

    def test_the_recipients_limit_counts_every_owners_shares(self) -> None:
        for owner in [self.edith, self.oni, self.mallory]:
            self.share("frank@example.com", owner)
        ursula = User.objects.create(email="ursula@example.com")
        self.assert_refused(self.share("frank@example.com", ursula))
        self.assertEqual(len(mail.outbox), 3)

    def test_one_owner_sharing_with_many_addresses(self) -> None:
        for number in range(10):
            self.assertEqual(self.share(f"friend{number}@example.com").status_code, 302)
        self.assert_refused(self.share("friend10@example.com"))
        self.assertEqual(len(mail.outbox), 10)
        self.assertFalse(User.objects.filter(email="friend10@example.com").exists())

    def test_many_owners_sharing_from_one_client(self) -> None:
        owners = [User.objects.create(email=f"owner{number}@example.com") for number in range(21)]
        for number, owner in enumerate(owners[:20]):
            self.share(f"friend{number}@example.com", owner)
        self.assert_refused(self.share("friend20@example.com", owners[20]))
        self.assertEqual(len(mail.outbox), 20)
        self.assertEqual(
            self.share("friend20@example.com", owners[20], ip="192.0.2.2").status_code, 302
        )

    def test_allowed_again_a_minute_later(self) -> None:
        for number in range(11):
            self.share(f"friend{number}@example.com")
        with time_machine.travel(MID_MINUTE + timedelta(minutes=1), tick=False):
            self.assertEqual(self.share("friend10@example.com").status_code, 302)


class OneAccountPerAddressTest(OwnedListTestCase):
    """Logging in, sharing and removing a sharee find an address's account by one rule
    (accounts.authentication.existing_account_for), also where accounts made before that rule
    differ only in case."""

    def setUp(self) -> None:
        super().setUp()
        self.frank = User.objects.create(email="frank@example.com")
        self.old_frank = User.objects.create(email="Frank@example.com")

    def test_login_and_sharing_pick_the_same_account(self) -> None:
        for typed in ["frank@example.com", "Frank@example.com", "FRANK@example.com"]:
            with self.subTest(typed=typed):
                logged_in = PasswordlessAuthenticationBackend().authenticate(
                    None, token=issue_login_token(typed)
                )
                self.list.shared_with.clear()
                self.as_user(self.edith).post(f"{self.url}share", {"sharee": typed})
                self.assertEqual(list(self.list.shared_with.all()), [logged_in])
        self.assertEqual(User.objects.filter(email__iexact="frank@example.com").count(), 2)

    def test_removing_an_address_removes_the_account_sharing_chose(self) -> None:
        self.list.shared_with.add(self.frank)
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "frank@example.com"}, follow=True
        )
        self.assertContains(response, SHAREE_REMOVED.format(sharee="frank@example.com"))
        self.assertFalse(self.list.shared_with.filter(pk=self.frank.pk).exists())


class UnshareTest(OwnedListTestCase):
    def test_the_owner_removes_a_sharee(self) -> None:
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "oni@example.com"}
        )
        self.assertRedirects(response, self.url)
        self.assertEqual(self.list.shared_with.count(), 0)
        self.assert_is_the_404_page(self.as_user(self.oni).get(self.url))

    def test_an_address_differing_only_in_case_removes_the_sharee(self) -> None:
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "ONI@Example.com"}, follow=True
        )
        self.assertContains(response, SHAREE_REMOVED.format(sharee="oni@example.com"))
        self.assertEqual(self.list.shared_with.count(), 0)

    def test_the_address_said_not_to_be_a_sharee_is_shown_without_control_characters(
        self,
    ) -> None:
        response = self.as_user(self.edith).post(
            f"{self.url}sharees/remove", {"sharee": "\u202emallory\x00@example.com"}, follow=True
        )
        self.assertContains(response, escape(NOT_A_SHAREE.format(sharee="mallory@example.com")))

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

import re
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.test import TestCase
from django.urls import resolve, reverse
from django.utils.html import escape

from accounts.models import User
from lists.forms import DUPLICATE_ITEM_ERROR, EMPTY_ITEM_ERROR, TOO_LONG_ITEM_ERROR
from lists.models import Item, List

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class HomePageTest(TestCase):
    def test_uses_home_template(self) -> None:
        response = self.client.get("/")
        self.assertTemplateUsed(response, "home.html")

    def test_renders_input_form(self) -> None:
        response = self.client.get("/")
        self.assertContains(response, 'method="POST" action="/lists/new"')
        self.assertContains(response, 'name="text"')
        self.assertContains(response, 'placeholder="Enter a to-do item"')
        self.assertContains(response, "Start a new To-Do list")

    def test_static_files_are_our_own(self) -> None:
        response = self.client.get("/")
        self.assertContains(response, "/static/bootstrap/css/bootstrap.min.css")
        self.assertNotContains(response, "https://")


class NewListTest(TestCase):
    def test_can_save_a_POST_request(self) -> None:
        self.client.post("/lists/new", data={"text": "A new list item"})
        self.assertEqual(Item.objects.get().text, "A new list item")

    def test_redirects_after_POST(self) -> None:
        response = self.client.post("/lists/new", data={"text": "A new list item"})
        self.assertRedirects(response, f"/lists/{List.objects.get().key}/")

    def test_for_invalid_input_renders_home_template_with_error(self) -> None:
        response = self.client.post("/lists/new", data={"text": ""})
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "home.html")
        self.assertContains(response, escape(EMPTY_ITEM_ERROR))
        self.assertContains(response, "is-invalid")

    def test_invalid_list_items_arent_saved(self) -> None:
        self.client.post("/lists/new", data={"text": ""})
        self.assertEqual(List.objects.count(), 0)
        self.assertEqual(Item.objects.count(), 0)

    def test_missing_text_field_is_an_empty_item(self) -> None:
        response = self.client.post("/lists/new", data={})
        self.assertContains(response, escape(EMPTY_ITEM_ERROR))

    def test_too_long_item_is_refused_with_a_message_and_kept_in_the_box(self) -> None:
        text = "x" * (Item.MAX_LENGTH + 1)
        response = self.client.post("/lists/new", data={"text": text})
        self.assertContains(response, escape(TOO_LONG_ITEM_ERROR))
        self.assertContains(response, f'value="{text}"')
        self.assertEqual(Item.objects.count(), 0)

    def test_list_owner_is_saved_if_user_is_authenticated(self) -> None:
        user = User.objects.create(email="a@b.com")
        self.client.force_login(user)
        self.client.post("/lists/new", data={"text": "new item"})
        self.assertEqual(List.objects.get().owner, user)

    def test_GET_is_not_allowed_to_create_lists(self) -> None:
        response = self.client.get("/lists/new")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(List.objects.count(), 0)


class ListViewTest(TestCase):
    def post_item(self, mylist: List, text: str) -> "TestResponse":
        return self.client.post(f"/lists/{mylist.key}/", data={"text": text})

    def test_uses_list_template(self) -> None:
        mylist = List.objects.create()
        response = self.client.get(f"/lists/{mylist.key}/")
        self.assertTemplateUsed(response, "list.html")

    def test_renders_input_form_posting_to_the_list(self) -> None:
        mylist = List.objects.create()
        response = self.client.get(f"/lists/{mylist.key}/")
        self.assertContains(response, f'method="POST" action="/lists/{mylist.key}/"')
        self.assertContains(response, "Your To-Do list")

    def test_displays_only_items_for_that_list(self) -> None:
        correct_list = List.objects.create()
        Item.objects.create(text="itemey 1", list=correct_list)
        Item.objects.create(text="itemey 2", list=correct_list)
        Item.objects.create(text="other list item", list=List.objects.create())
        response = self.client.get(f"/lists/{correct_list.key}/")
        self.assertContains(response, "1: itemey 1")
        self.assertContains(response, "2: itemey 2")
        self.assertNotContains(response, "other list item")

    def test_can_save_a_POST_request_to_an_existing_list(self) -> None:
        correct_list = List.objects.create()
        List.objects.create()
        self.post_item(correct_list, "A new item for an existing list")
        new_item = Item.objects.get()
        self.assertEqual(new_item.text, "A new item for an existing list")
        self.assertEqual(new_item.list, correct_list)

    def test_POST_redirects_to_list_view(self) -> None:
        correct_list = List.objects.create()
        response = self.post_item(correct_list, "A new item")
        self.assertRedirects(response, f"/lists/{correct_list.key}/")

    def test_for_invalid_input_nothing_saved_and_error_shown(self) -> None:
        mylist = List.objects.create()
        response = self.post_item(mylist, "")
        self.assertEqual(Item.objects.count(), 0)
        self.assertTemplateUsed(response, "list.html")
        self.assertContains(response, escape(EMPTY_ITEM_ERROR))
        self.assertContains(response, "is-invalid")

    def test_duplicate_item_validation_errors_end_up_on_lists_page(self) -> None:
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="textey")
        response = self.post_item(mylist, "textey")
        self.assertContains(response, escape(DUPLICATE_ITEM_ERROR))
        self.assertContains(response, 'value="textey"')
        self.assertEqual(Item.objects.count(), 1)

    def test_html_in_items_is_escaped(self) -> None:
        mylist = List.objects.create()
        self.post_item(mylist, "<script>alert('hi')</script>")
        response = self.client.get(f"/lists/{mylist.key}/")
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;")

    def test_unknown_list_is_a_404_page(self) -> None:
        response = self.client.get("/lists/9999/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")

    def test_posting_to_an_unknown_list_is_a_404(self) -> None:
        response = self.client.post("/lists/9999/", data={"text": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Item.objects.count(), 0)

    def test_non_numeric_list_id_is_a_404(self) -> None:
        self.assertEqual(self.client.get("/lists/abc/").status_code, 404)

    def test_shows_the_owner(self) -> None:
        user = User.objects.create(email="owner@example.com")
        mylist = List.objects.create(owner=user)
        Item.objects.create(list=mylist, text="x")
        self.client.force_login(user)
        response = self.client.get(f"/lists/{mylist.key}/")
        self.assertContains(response, '<span id="id_list_owner">owner@example.com</span>')


class MyListsTest(TestCase):
    def test_my_lists_url_renders_my_lists_template(self) -> None:
        self.client.force_login(User.objects.create(email="a@b.com"))
        response = self.client.get("/lists/users/a@b.com/")
        self.assertTemplateUsed(response, "my_lists.html")

    def test_passes_correct_owner_and_links_each_list_by_name(self) -> None:
        User.objects.create(email="wrong@owner.com")
        correct_user = User.objects.create(email="a@b.com")
        mylist = List.objects.create(owner=correct_user)
        Item.objects.create(list=mylist, text="Reticulate splines")
        self.client.force_login(correct_user)
        response = self.client.get("/lists/users/a@b.com/")
        self.assertEqual(response.context["owner"], correct_user)
        self.assertContains(response, '<h1 class="display-1 mb-4">My Lists</h1>', html=True)
        self.assertContains(response, '<h2 class="text-break">a@b.com\'s lists</h2>', html=True)
        self.assertContains(response, f'<a href="/lists/{mylist.key}/">Reticulate splines</a>')

    def test_owner_sees_their_lists_in_three_queries_however_many(self) -> None:
        owner = User.objects.create(email="a@b.com")
        friends = [User.objects.create(email=f"friend{number}@b.com") for number in range(5)]
        for number in range(50):
            owned = List.objects.create(owner=owner)
            owned.item_set.create(text=f"item {number}")
            owned.shared_with.add(*friends)
            shared = List.objects.create(owner=friends[number % 5])
            shared.item_set.create(text=f"shared item {number}")
            shared.shared_with.add(owner, *friends[:2])
        self.client.force_login(owner)
        # the session, the user, and the lists (theirs and shared with them) with their names
        with self.assertNumQueries(3):
            response = self.client.get("/lists/users/a@b.com/")
        self.assertContains(response, "item 49")
        self.assertContains(response, "shared item 49")

    def test_query_count_does_not_grow_with_the_number_of_lists(self) -> None:
        owner = User.objects.create(email="a@b.com")
        self.client.force_login(owner)

        def queries_for_my_lists() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as context:
                self.client.get("/lists/users/a@b.com/")
            return len(context.captured_queries)

        List.objects.create(owner=owner).item_set.create(text="one")
        with_one_list = queries_for_my_lists()
        friend = User.objects.create(email="friend@b.com")
        for number in range(10):
            List.objects.create(owner=owner).item_set.create(text=f"item {number}")
            shared = List.objects.create(owner=friend)
            shared.item_set.create(text=f"item {number}")
            shared.shared_with.add(owner)
        self.assertEqual(queries_for_my_lists(), with_one_list)


class UnknownMethodsTest(TestCase):
    def test_pages_answer_other_methods_than_theirs_with_405(self) -> None:
        owner = User.objects.create(email="a@b.com")
        self.client.force_login(owner)
        our_list = List.objects.create(owner=owner)
        item = Item.objects.create(list=our_list, text="x")
        url = our_list.get_absolute_url()
        pages = ["/", url, f"{url}rename", f"{url}delete", f"{url}items/{item.pk}/edit"]
        for page in [*pages, "/lists/users/a@b.com/"]:
            for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"]:
                with self.subTest(page=page, method=method):
                    response = self.client.generic(method, page)
                    self.assertEqual(response.status_code, 405)
        self.assertEqual(Item.objects.get().text, "x")

    def test_their_own_methods_still_work(self) -> None:
        self.assertEqual(self.client.head("/").status_code, 200)
        self.assertEqual(self.client.post("/").status_code, 405)


class MyListsForEveryAddressTest(TestCase):
    """Every address the login form accepts has a My Lists page: a ``/`` in it made every page
    a 500, the navbar's link to My Lists failing to reverse."""

    ADDRESSES = [
        "first/last@example.com",
        "a/./b@example.com",
        "50%off@example.com",
        "a%2Fb@example.com",
        '"john doe"@example.com',
        "#!$&'*+=?^_`{|}~@example.com",
    ]

    def test_the_link_in_the_navbar_leads_to_their_lists(self) -> None:
        for email in self.ADDRESSES:
            with self.subTest(email=email):
                user = User.objects.create(email=email)
                Item.objects.create(list=List.objects.create(owner=user), text=f"{email}'s")
                self.client.force_login(user)
                home = self.client.get("/")
                self.assertEqual(home.status_code, 200)
                link = re.search(r'href="([^"]*)">My lists', home.content.decode())
                assert link, home.content
                page = self.client.get(unescape(link[1]))
                self.assertEqual(page.status_code, 200)
                self.assertEqual(page.context["owner"], user)
                self.assertContains(page, escape(f"{email}'s"))

    def test_ordinary_addresses_keep_the_books_url(self) -> None:
        self.assertEqual(
            reverse("my_lists", args=["edith@example.com"]), "/lists/users/edith@example.com/"
        )

    def test_an_address_is_never_split_into_path_segments(self) -> None:
        url = reverse("my_lists", args=["a/./b@example.com"])
        self.assertEqual(url.count("/"), 4)
        self.assertEqual(resolve(unquote(url)).kwargs, {"email": "a/./b@example.com"})

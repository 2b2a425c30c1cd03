from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lists.forms import (
    DUPLICATE_ITEM_ERROR,
    EMPTY_ITEM_ERROR,
    EMPTY_LIST_NAME_ERROR,
    TOO_LONG_LIST_NAME_ERROR,
)
from lists.models import Item, List
from lists.tests.people import EdithsSharedListTestCase
from lists.views import ITEM_GONE, LIST_DELETED


class ItemActionTestCase(EdithsSharedListTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.feathers = Item.objects.create(list=self.list, text="Buy peacock feathers")
        self.flies = Item.objects.create(list=self.list, text="Make a fly")

    def item_url(self, item: Item, action: str) -> str:
        return f"{self.url}items/{item.pk}/{action}"


class MarkItemTest(ItemActionTestCase):
    def test_ticks_off_and_unticks_an_item(self) -> None:
        edith = self.as_user(self.edith)
        response = edith.post(self.item_url(self.feathers, "done"), {"done": "1"})
        self.assertRedirects(response, self.url)
        self.feathers.refresh_from_db()
        self.assertTrue(self.feathers.done)
        self.as_user(self.edith).post(self.item_url(self.feathers, "done"), {"done": "0"})
        self.feathers.refresh_from_db()
        self.assertFalse(self.feathers.done)

    def test_asking_twice_for_the_same_state_keeps_it_no_flip_back(self) -> None:
        for _ in range(2):
            self.as_user(self.oni).post(self.item_url(self.feathers, "done"), {"done": "1"})
        self.feathers.refresh_from_db()
        self.assertTrue(self.feathers.done)

    def test_the_list_page_shows_the_state_to_screen_readers_and_what_is_left(self) -> None:
        Item.objects.filter(pk=self.feathers.pk).update(done=True)
        response = self.as_user(self.edith).get(self.url)
        self.assertContains(response, f'id="id_done_{self.feathers.pk}"')
        self.assertContains(response, 'aria-pressed="true" aria-label="Done: Buy peacock feathers"')
        self.assertContains(response, 'aria-pressed="false" aria-label="Done: Make a fly"')
        row = f'<tr id="id_item_{self.feathers.pk}" class="item item-done">'
        self.assertContains(response, row)
        self.assertContains(response, "1 item left")

    def test_all_done(self) -> None:
        Item.objects.update(done=True)
        self.assertContains(self.as_user(self.edith).get(self.url), "All done!")

    def test_a_deleted_item_is_said_to_be_gone(self) -> None:
        url = self.item_url(self.feathers, "done")
        self.feathers.delete()
        response = self.as_user(self.edith).post(url, {"done": "1"}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, escape(ITEM_GONE))

    def test_records_the_lists_last_change(self) -> None:
        before = List.objects.get().updated_at
        self.as_user(self.edith).post(self.item_url(self.feathers, "done"), {"done": "1"})
        self.assertGreater(List.objects.get().updated_at, before)


class EditItemTest(ItemActionTestCase):
    def test_get_shows_the_list_with_the_items_row_as_a_form(self) -> None:
        response = self.as_user(self.edith).get(self.item_url(self.feathers, "edit"))
        self.assertTemplateUsed(response, "list.html")
        self.assertTemplateUsed(response, "item_edit_row.html")
        self.assertContains(response, 'id="id_edit_text"')
        self.assertContains(response, 'value="Buy peacock feathers"')
        self.assertContains(response, "2: Make a fly")

    def test_saves_new_text_and_redirects_to_the_list(self) -> None:
        response = self.as_user(self.oni).post(
            self.item_url(self.feathers, "edit"), {"text": "Buy peacock feathers!"}
        )
        self.assertRedirects(response, self.url)
        self.feathers.refresh_from_db()
        self.assertEqual(self.feathers.text, "Buy peacock feathers!")

    def test_saving_the_same_text_is_fine(self) -> None:
        response = self.as_user(self.edith).post(
            self.item_url(self.feathers, "edit"), {"text": "Buy peacock feathers"}
        )
        self.assertRedirects(response, self.url)

    def test_errors_as_when_adding_with_the_typed_text_kept(self) -> None:
        for text, error in [("", EMPTY_ITEM_ERROR), ("   ", EMPTY_ITEM_ERROR),
                            ("Make a fly", DUPLICATE_ITEM_ERROR)]:  # fmt: skip
            with self.subTest(text=text):
                response = self.as_user(self.edith).post(
                    self.item_url(self.feathers, "edit"), {"text": text}
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, escape(error))
                self.assertContains(response, f'value="{text.strip()}"')
        self.feathers.refresh_from_db()
        self.assertEqual(self.feathers.text, "Buy peacock feathers")

    def test_html_is_escaped_in_the_row_and_its_labels(self) -> None:
        self.as_user(self.edith).post(
            self.item_url(self.feathers, "edit"), {"text": '<b>"bold"</b>'}
        )
        response = self.as_user(self.edith).get(self.url)
        self.assertNotContains(response, "<b>")
        self.assertContains(response, 'aria-label="Done: &lt;b&gt;&quot;bold&quot;&lt;/b&gt;"')

    def test_editing_a_deleted_item_says_it_is_gone(self) -> None:
        url = self.item_url(self.feathers, "edit")
        self.feathers.delete()
        for method in ("get", "post"):
            with self.subTest(method=method):
                edith = self.as_user(self.edith)
                response = getattr(edith, method)(url, {"text": "x"}, follow=True)
                self.assertRedirects(response, self.url)
                self.assertContains(response, escape(ITEM_GONE))


class DeleteItemTest(ItemActionTestCase):
    def test_deletes_the_item(self) -> None:
        response = self.as_user(self.oni).post(self.item_url(self.feathers, "delete"))
        self.assertRedirects(response, self.url)
        self.assertEqual(list(self.list.item_set.all()), [self.flies])

    def test_deleting_twice_is_no_error(self) -> None:
        url = self.item_url(self.feathers, "delete")
        self.as_user(self.edith).post(url)
        self.assertRedirects(self.as_user(self.oni).post(url), self.url)

    def test_get_is_not_allowed(self) -> None:
        response = self.as_user(self.edith).get(self.item_url(self.feathers, "delete"))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(Item.objects.count(), 2)


class ItemPermissionsTest(ItemActionTestCase):
    def test_nobody_but_owner_and_sharees_can_touch_items(self) -> None:
        actions = [("done", {"done": "1"}), ("edit", {"text": "hacked"}), ("delete", {})]
        for user in [None, self.mallory]:
            for action, data in actions:
                with self.subTest(user=user, action=action):
                    response = self.as_user(user).post(self.item_url(self.feathers, action), data)
                    self.assertEqual(response.status_code, 404)
                    self.assertTemplateUsed(response, "404.html")
        self.assertEqual(Item.objects.get(pk=self.feathers.pk).text, "Buy peacock feathers")
        self.assertFalse(Item.objects.get(pk=self.feathers.pk).done)

    def test_an_item_of_another_list_is_not_reachable_through_this_one(self) -> None:
        other = List.objects.create(owner=self.mallory)
        secret = Item.objects.create(list=other, text="secret")
        url = f"{self.url}items/{secret.pk}/delete"
        self.as_user(self.edith).post(url)
        self.assertTrue(Item.objects.filter(pk=secret.pk).exists())

    def test_anyone_can_tick_items_of_a_list_made_without_logging_in(self) -> None:
        anyones = List.objects.create()
        item = Item.objects.create(list=anyones, text="x")
        Client().post(f"{anyones.get_absolute_url()}items/{item.pk}/done", {"done": "1"})
        item.refresh_from_db()
        self.assertTrue(item.done)

    def test_an_item_id_too_big_is_a_404(self) -> None:
        response = self.as_user(self.edith).post(f"{self.url}items/{'9' * 30}/delete")
        self.assertEqual(response.status_code, 404)

    def test_row_urls_are_the_ones_urls_py_names(self) -> None:
        response = self.as_user(self.edith).get(self.url)
        for name in ("mark_item", "edit_item", "delete_item"):
            self.assertContains(response, reverse(name, args=[self.list.key, self.feathers.pk]))


class RenameListTest(ItemActionTestCase):
    def test_name_is_the_first_item_until_renamed(self) -> None:
        self.assertEqual(List.objects.get().name, "Buy peacock feathers")
        response = self.as_user(self.edith).post(f"{self.url}rename", {"name": "Birthday"})
        self.assertRedirects(response, self.url)
        self.assertEqual(List.objects.get().name, "Birthday")
        self.assertContains(self.as_user(self.edith).get(self.url), "Birthday")

    def test_the_rename_page_has_the_current_name(self) -> None:
        response = self.as_user(self.edith).get(f"{self.url}rename")
        self.assertTemplateUsed(response, "rename_list.html")
        self.assertContains(response, 'value="Buy peacock feathers"')

    def test_bad_names_get_a_form_error(self) -> None:
        for name, error in [("", EMPTY_LIST_NAME_ERROR), ("x" * 201, TOO_LONG_LIST_NAME_ERROR)]:
            with self.subTest(name=name[:5]):
                response = self.as_user(self.edith).post(f"{self.url}rename", {"name": name})
                self.assertContains(response, escape(error))
        self.assertEqual(List.objects.get().title, "")

    def test_only_the_owner_renames(self) -> None:
        for user in [None, self.oni, self.mallory]:
            with self.subTest(user=user):
                client = self.as_user(user)
                self.assertEqual(client.get(f"{self.url}rename").status_code, 404)
                response = client.post(f"{self.url}rename", {"name": "x"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(List.objects.get().title, "")

    def test_the_owner_sees_rename_and_delete_others_do_not(self) -> None:
        self.assertContains(self.as_user(self.edith).get(self.url), 'id="id_rename_list"')
        self.assertNotContains(self.as_user(self.oni).get(self.url), 'id="id_rename_list"')
        self.assertNotContains(self.as_user(self.oni).get(self.url), 'id="id_delete_list"')


class DeleteListTest(ItemActionTestCase):
    def test_get_asks_for_confirmation_and_deletes_nothing(self) -> None:
        response = self.as_user(self.edith).get(f"{self.url}delete")
        self.assertTemplateUsed(response, "delete_list.html")
        self.assertContains(response, "2 items")
        self.assertEqual(List.objects.count(), 1)

    def test_post_deletes_the_list_and_its_items(self) -> None:
        response = self.as_user(self.edith).post(f"{self.url}delete", follow=True)
        self.assertRedirects(response, "/lists/users/edith@example.com/")
        self.assertContains(response, escape(LIST_DELETED.format(name="Buy peacock feathers")))
        self.assertEqual(List.objects.count(), 0)
        self.assertEqual(Item.objects.count(), 0)

    def test_only_the_owner_deletes(self) -> None:
        for user in [None, self.oni, self.mallory]:
            with self.subTest(user=user):
                response = self.as_user(user).post(f"{self.url}delete")
                self.assertEqual(response.status_code, 404)
        self.assertEqual(List.objects.count(), 1)


class MyListsDetailsTest(ItemActionTestCase):
    def test_shows_name_counts_and_last_change(self) -> None:
        Item.objects.filter(pk=self.feathers.pk).update(done=True)
        response = self.as_user(self.edith).get("/lists/users/edith@example.com/")
        self.assertContains(response, "2 items, 1 done")
        self.assertContains(response, "<time datetime=")

    def test_two_lists_with_the_same_first_item_can_be_told_apart_by_renaming(self) -> None:
        other = List.objects.create(owner=self.edith, title="Holiday")
        Item.objects.create(list=other, text="Buy peacock feathers")
        response = self.as_user(self.edith).get("/lists/users/edith@example.com/")
        self.assertContains(response, ">Holiday</a>")
        self.assertContains(response, ">Buy peacock feathers</a>")


class ListPageQueriesTest(ItemActionTestCase):
    def test_constant_whatever_the_number_of_items_done_or_not(self) -> None:
        client = self.as_user(self.edith)
        with self.assertNumQueries(5):
            client.get(self.url)
        for number in range(30):
            Item.objects.create(list=self.list, text=f"item {number}", done=number % 2 == 0)
        with self.assertNumQueries(5):
            response = client.get(self.url)
        self.assertContains(response, "17 items left")

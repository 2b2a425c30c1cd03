"""The load test posts to the URLs an item's row gives, read from the real list page: they are
the ones reverse() names, so a changed route is followed, not guessed."""

from django.test import TestCase
from django.urls import reverse

from lists.models import Item
from loadtest.visitor import ItemUrls, item_urls_on
from sitekit.web_client import Page


class ItemUrlsOnTest(TestCase):
    def test_reads_each_rows_tick_edit_and_delete_urls_from_the_list_page(self) -> None:
        created = self.client.post("/lists/new", {"text": "Buy milk & eggs"})
        self.client.post(created["Location"], {"text": "Buy bread"})
        response = self.client.get(created["Location"])
        page = Page(created["Location"], 200, "", response.content.decode(), 0.0)

        items = Item.objects.order_by("id")
        key = items[0].list.key
        self.assertEqual(
            item_urls_on(page),
            {
                item.id: ItemUrls(
                    tick=reverse("mark_item", args=[key, item.id]),
                    edit=reverse("edit_item", args=[key, item.id]),
                    delete=reverse("delete_item", args=[key, item.id]),
                )
                for item in items
            },
        )

    def test_a_row_without_its_buttons_is_an_error_that_names_the_fix(self) -> None:
        row = '<tr id="id_item_3" class="item"><td class="item-text">1: Buy milk</td></tr>'
        with self.assertRaisesRegex(RuntimeError, "update it to match"):
            item_urls_on(Page("", 200, "", row, 0.0))

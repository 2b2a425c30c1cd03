from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from functional_tests.base import FunctionalTest
from functional_tests.list_page import ListPage
from lists.forms import DUPLICATE_ITEM_ERROR


class EdithsListTestCase(FunctionalTest):
    """Edith, logged in, with a list of her own to work on."""

    def setUp(self) -> None:
        super().setUp()
        self.edith = self.email_address_for("edith")
        self.create_pre_authenticated_session(self.edith)
        self.list_page = ListPage(self)

    def start_list(self, *items: str) -> None:
        self.browser.get(self.live_server_url)
        for item in items:
            self.list_page.add_list_item(item)
        self.mark_page_load()

    def mark_page_load(self) -> None:
        """Leave a mark that a page load wipes, to tell in-place updates from reloads."""
        if self.javascript:
            self.browser.execute_script("window.stillTheSamePage = true;")

    def assert_updated_in_place(self) -> None:
        if self.javascript:
            self.assertTrue(self.browser.execute_script("return window.stillTheSamePage === true;"))


class ItemActionsTest(EdithsListTestCase):
    """Edith finishes her list. Run with JavaScript (htmx works in place) and, in the subclass
    below, without (plain forms, a page load each)."""

    def test_tick_off_fix_a_typo_and_delete_items(self) -> None:
        # Edith has a list with a few things to do
        self.start_list("Buy peacock feathers", "Use feathers to make a fyl", "Go fishing")
        self.assertEqual(self.list_page.items_left(), "3 items left")

        # She bought the feathers, and ticks them off. The item stays where it is,
        # struck through, and the page says what's left
        self.list_page.tick("Buy peacock feathers")
        self.wait_for(lambda: self.assertTrue(self.list_page.is_done("Buy peacock feathers")))
        self.list_page.wait_for_row_in_list_table("Buy peacock feathers", 1)
        self.wait_for(lambda: self.assertEqual(self.list_page.items_left(), "2 items left"))
        self.assertFalse(self.list_page.is_done("Go fishing"))

        # Oops, she ticked it too soon: the feathers are still in the post. She un-ticks it
        self.list_page.tick("Buy peacock feathers")
        self.wait_for(lambda: self.assertFalse(self.list_page.is_done("Buy peacock feathers")))
        self.wait_for(lambda: self.assertEqual(self.list_page.items_left(), "3 items left"))

        # She notices a typo, "fyl", and edits the item
        self.list_page.start_editing("Use feathers to make a fyl")
        edit_box = self.wait_for(lambda: self.browser.find_element(By.ID, "id_edit_text"))

        # She first tries to make it the same as another item, and is told off,
        # with what she typed still there
        edit_box.clear()
        edit_box.send_keys("Go fishing")
        self.browser.find_element(By.ID, "id_save_item").click()
        self.wait_for(
            lambda: self.assertEqual(
                self.browser.find_element(By.ID, "id_edit_text_feedback").text,
                DUPLICATE_ITEM_ERROR,
            )
        )
        edit_box = self.browser.find_element(By.ID, "id_edit_text")
        self.assertEqual(edit_box.get_attribute("value"), "Go fishing")

        # So she types what she meant
        edit_box.clear()
        edit_box.send_keys("Use feathers to make a fly")
        self.browser.find_element(By.ID, "id_save_item").click()
        self.list_page.wait_for_row_in_list_table("Use feathers to make a fly", 2)

        # She decides fishing can wait, and deletes it
        self.list_page.delete("Go fishing")
        self.wait_for(
            lambda: self.assertEqual(
                [row.text for row in self.list_page.get_table_rows()],
                ["1: Buy peacock feathers", "2: Use feathers to make a fly"],
            )
        )
        self.assert_updated_in_place()

        # She reloads: all of it was saved
        self.browser.refresh()
        self.list_page.wait_for_row_in_list_table("Use feathers to make a fly", 2)
        self.assertEqual(len(self.list_page.get_table_rows()), 2)

    def test_rename_and_delete_a_list(self) -> None:
        # Edith has two lists that both start with the same item
        self.start_list("Buy peacock feathers", "Make a fly")
        first_list_url = self.browser.current_url
        self.start_list("Buy peacock feathers", "Buy a hat")

        # She renames the second one, which is for her holiday
        self.browser.find_element(By.ID, "id_rename_list").click()
        name_box = self.wait_for(lambda: self.browser.find_element(By.ID, "id_name"))
        self.assertEqual(name_box.get_attribute("value"), "Buy peacock feathers")
        name_box.clear()
        name_box.send_keys("Holiday")
        self.browser.find_element(By.CSS_SELECTOR, "#id_rename_form button").click()
        self.wait_for(
            lambda: self.assertEqual(
                self.browser.find_element(By.ID, "id_list_name").text, "Holiday"
            )
        )

        # On My Lists she can now tell them apart, with how many items each has
        self.browser.find_element(By.LINK_TEXT, "My lists").click()
        self.wait_for(lambda: self.browser.find_element(By.LINK_TEXT, "Holiday"))
        self.assertIn("2 items, 0 done", self.page_text())

        # She doesn't need the first list after all, and deletes it
        self.browser.get(first_list_url)
        self.wait_for(lambda: self.browser.find_element(By.ID, "id_delete_list")).click()

        # She is asked to confirm, and does
        self.wait_for(
            lambda: self.assertIn(
                "Delete this list?", self.browser.find_element(By.TAG_NAME, "h1").text
            )
        )
        self.browser.find_element(By.ID, "id_confirm_delete").click()

        # It's gone from My Lists, and its address finds nothing
        self.wait_for(lambda: self.assertIn("Deleted the list", self.page_text()))
        self.assertEqual(self.browser.find_elements(By.LINK_TEXT, "Buy peacock feathers"), [])
        self.browser.find_element(By.LINK_TEXT, "Holiday")
        self.browser.get(first_list_url)
        self.wait_for(
            lambda: self.assertIn("Not found", self.browser.find_element(By.TAG_NAME, "h1").text)
        )


class KeyboardAndScreenReaderTest(EdithsListTestCase):
    """With JavaScript, where htmx swaps the list in place (without it, each action loads a
    new page, which a screen reader reads from the top)."""

    def focused_id(self) -> str:
        return str(self.browser.execute_script("return document.activeElement.id;"))

    def test_focus_and_announcements_survive_in_place_updates(self) -> None:
        self.start_list("Buy peacock feathers", "Go fishing")

        # Edith uses the keyboard: she ticks the feathers off with Enter, and the focus stays
        # on that button; her screen reader hears how many items are left
        done = self.list_page.get_row("Buy peacock feathers").find_element(
            By.CSS_SELECTOR, "button"
        )
        done_id = done.get_attribute("id")
        done.send_keys(Keys.ENTER)
        self.wait_for(lambda: self.assertTrue(self.list_page.is_done("Buy peacock feathers")))
        self.wait_for(lambda: self.assertEqual(self.status(), "1 item left"))
        self.assertEqual(self.focused_id(), done_id)

        # She deletes "Go fishing" from the keyboard: its button is gone, so the focus moves
        # to the list's heading rather than to nowhere
        self.list_page.get_row("Go fishing").find_element(
            By.CSS_SELECTOR, 'button[aria-label="Delete: Go fishing"]'
        ).send_keys(Keys.ENTER)
        self.wait_for(lambda: self.assertEqual(self.status(), "All done!"))
        self.assertEqual(self.focused_id(), "id_list_name")
        self.assert_updated_in_place()

    def status(self) -> str:
        return str(
            self.browser.execute_script(
                "return document.querySelector('#id_list_status').textContent;"
            )
        )


class ItemActionsWithoutJavaScriptTest(ItemActionsTest):
    javascript = False

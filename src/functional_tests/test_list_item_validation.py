from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from functional_tests.base import FunctionalTest
from lists.forms import DUPLICATE_ITEM_ERROR, EMPTY_ITEM_ERROR


class ItemValidationTest(FunctionalTest):
    def get_error_element(self) -> WebElement:
        return self.browser.find_element(By.CSS_SELECTOR, ".invalid-feedback")

    def test_cannot_add_empty_list_items(self) -> None:
        # Edith goes to the home page and accidentally tries to submit
        # an empty list item. She hits Enter on the empty input box
        self.browser.get(self.live_server_url)
        self.get_item_input_box().send_keys(Keys.ENTER)

        # The browser intercepts the request, and does not load the list page
        self.wait_for(lambda: self.browser.find_element(By.CSS_SELECTOR, "#id_text:invalid"))

        # She starts typing some text for the new item and the error disappears
        self.get_item_input_box().send_keys("Purchase milk")
        self.wait_for(lambda: self.browser.find_element(By.CSS_SELECTOR, "#id_text:valid"))

        # And she can submit it successfully
        self.get_item_input_box().send_keys(Keys.ENTER)
        self.wait_for_row_in_list_table("1: Purchase milk")

        # Perversely, she now decides to submit a second blank list item
        self.get_item_input_box().send_keys(Keys.ENTER)

        # Again, the browser will not comply
        self.wait_for_row_in_list_table("1: Purchase milk")
        self.wait_for(lambda: self.browser.find_element(By.CSS_SELECTOR, "#id_text:invalid"))

        # She tries to outwit it with nothing but spaces, which the browser lets through,
        # but the site tells her off
        self.get_item_input_box().send_keys("   ", Keys.ENTER)
        self.wait_for(lambda: self.assertEqual(self.get_error_element().text, EMPTY_ITEM_ERROR))

        # And she can correct it by filling some text in
        self.get_item_input_box().clear()
        self.get_item_input_box().send_keys("Make tea", Keys.ENTER)
        self.wait_for_row_in_list_table("1: Purchase milk")
        self.wait_for_row_in_list_table("2: Make tea")

    def test_cannot_add_duplicate_items(self) -> None:
        # Edith goes to the home page and starts a new list
        self.browser.get(self.live_server_url)
        self.add_list_item("Buy wellies")

        # She accidentally tries to enter a duplicate item
        self.get_item_input_box().send_keys("Buy wellies", Keys.ENTER)

        # She sees a helpful error message, and what she typed is still there
        self.wait_for(lambda: self.assertEqual(self.get_error_element().text, DUPLICATE_ITEM_ERROR))
        self.assertEqual(self.get_item_input_box().get_attribute("value"), "Buy wellies")
        self.assertIn("is-invalid", self.get_item_input_box().get_attribute("class") or "")

        # The same item in a brand new list is fine, though
        self.browser.get(self.live_server_url)
        self.add_list_item("Buy wellies")

    def test_error_messages_are_cleared_on_input(self) -> None:
        # Edith starts a list and causes a validation error:
        self.browser.get(self.live_server_url)
        self.add_list_item("Banter too thick")
        self.get_item_input_box().send_keys("Banter too thick", Keys.ENTER)
        self.wait_for(lambda: self.assertTrue(self.get_error_element().is_displayed()))

        # She starts typing in the input box to clear the error
        self.get_item_input_box().send_keys("a")

        # She is pleased to see that the error message disappears
        self.wait_for(lambda: self.assertFalse(self.get_error_element().is_displayed()))

"""The list page, as the book's "page pattern" chapter has it: what a user does on it."""

from typing import TYPE_CHECKING

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

if TYPE_CHECKING:
    from functional_tests.base import FunctionalTest


class ListPage:
    def __init__(self, test: "FunctionalTest") -> None:
        self.test = test

    def get_table_rows(self) -> list[WebElement]:
        return self.test.browser.find_elements(By.CSS_SELECTOR, "#id_list_table tr")

    def wait_for_row_in_list_table(self, item_text: str, item_number: int) -> None:
        self.test.wait_for_row_in_list_table(f"{item_number}: {item_text}")

    def get_item_input_box(self) -> WebElement:
        return self.test.get_item_input_box()

    def add_list_item(self, item_text: str) -> "ListPage":
        self.test.add_list_item(item_text)
        return self

    def get_share_box(self) -> WebElement:
        return self.test.browser.find_element(By.CSS_SELECTOR, 'input[name="sharee"]')

    def get_shared_with_list(self) -> list[WebElement]:
        return self.test.browser.find_elements(By.CSS_SELECTOR, ".list-sharee")

    def share_list_with(self, email: str) -> None:
        self.get_share_box().send_keys(email, Keys.ENTER)
        self.test.wait_for(
            lambda: self.test.assertIn(email, [item.text for item in self.get_shared_with_list()])
        )

    def get_list_owner(self) -> str:
        return self.test.browser.find_element(By.ID, "id_list_owner").text

    def get_row(self, item_text: str) -> WebElement:
        for row in self.get_table_rows():
            if row.text.split(": ", 1)[-1] == item_text:
                return row
        raise AssertionError(
            f"no row for {item_text!r} in {[r.text for r in self.get_table_rows()]}"
        )

    def is_done(self, item_text: str) -> bool:
        """Whether the item is ticked off, as a screen reader hears it."""
        button = self.get_row(item_text).find_element(By.CSS_SELECTOR, "button[aria-pressed]")
        return button.get_attribute("aria-pressed") == "true"

    def tick(self, item_text: str) -> None:
        self.test.wait_for(
            lambda: self.get_row(item_text).find_element(
                By.CSS_SELECTOR, f'button[aria-label="Done: {item_text}"]'
            )
        ).click()

    def start_editing(self, item_text: str) -> None:
        self.test.wait_for(
            lambda: self.get_row(item_text).find_element(
                By.CSS_SELECTOR, f'a[aria-label="Edit: {item_text}"]'
            )
        ).click()

    def delete(self, item_text: str) -> None:
        self.test.wait_for(
            lambda: self.get_row(item_text).find_element(
                By.CSS_SELECTOR, f'button[aria-label="Delete: {item_text}"]'
            )
        ).click()

    def items_left(self) -> str:
        return self.test.browser.find_element(By.ID, "id_items_left").text

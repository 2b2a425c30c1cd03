from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from functional_tests.base import FunctionalTest


class NewVisitorTest(FunctionalTest):
    def test_can_start_a_todo_list(self) -> None:
        # Edith has heard about a cool new online to-do app.
        # She goes to check out its homepage
        self.browser.get(self.live_server_url)

        # She notices the page title and header mention to-do lists
        self.assertIn("To-Do", self.browser.title)
        header_text = self.browser.find_element(By.TAG_NAME, "h1").text
        self.assertIn("To-Do", header_text)

        # She is invited to enter a to-do item straight away
        inputbox = self.get_item_input_box()
        self.assertEqual(inputbox.get_attribute("placeholder"), "Enter a to-do item")

        # She types "Buy peacock feathers" into a text box
        # (Edith's hobby is tying fly-fishing lures)
        inputbox.send_keys("Buy peacock feathers")

        # When she hits enter, the page updates, and now the page lists
        # "1: Buy peacock feathers" as an item in a to-do list table
        inputbox.send_keys(Keys.ENTER)
        self.wait_for_row_in_list_table("1: Buy peacock feathers")

        # There is still a text box inviting her to add another item.
        # She enters "Use peacock feathers to make a fly" (Edith is very methodical)
        self.add_list_item("Use peacock feathers to make a fly")

        # The page updates again, and now shows both items on her list
        self.wait_for_row_in_list_table("2: Use peacock feathers to make a fly")
        self.wait_for_row_in_list_table("1: Buy peacock feathers")

        # Satisfied, she goes back to sleep

    def test_multiple_users_can_start_lists_at_different_urls(self) -> None:
        # Edith starts a new to-do list
        self.browser.get(self.live_server_url)
        self.add_list_item("Buy peacock feathers")

        # She notices that her list has a unique URL
        edith_list_url = self.browser.current_url
        self.assertRegex(edith_list_url, "/lists/.+")

        # Now a new user, Francis, comes along to the site.

        ## We delete all the browser's cookies
        ## as a way of simulating a brand new user session
        self.browser.delete_all_cookies()

        # Francis visits the home page. There is no sign of Edith's list
        self.browser.get(self.live_server_url)
        page_text = self.browser.find_element(By.TAG_NAME, "body").text
        self.assertNotIn("Buy peacock feathers", page_text)

        # Francis starts a new list by entering a new item. He is less interesting than Edith...
        self.add_list_item("Buy milk")

        # Francis gets his own unique URL
        francis_list_url = self.browser.current_url
        self.assertRegex(francis_list_url, "/lists/.+")
        self.assertNotEqual(francis_list_url, edith_list_url)

        # Again, there is no trace of Edith's list
        page_text = self.browser.find_element(By.TAG_NAME, "body").text
        self.assertNotIn("Buy peacock feathers", page_text)
        self.assertIn("Buy milk", page_text)

        # Edith, in another browser, still has her own list at her own URL
        edith_browser = self.borrow_browser()
        edith_browser.get(edith_list_url)
        self.wait_for(
            lambda: self.assertIn(
                "Buy peacock feathers", edith_browser.find_element(By.ID, "id_list_table").text
            )
        )
        self.assertNotIn("Buy milk", edith_browser.find_element(By.TAG_NAME, "body").text)

        # Satisfied, they both go back to sleep

    def test_items_are_shown_as_plain_text_and_unknown_lists_are_not_found(self) -> None:
        # Edith, a careful web developer, tries to put some HTML in her list
        self.browser.get(self.live_server_url)
        self.add_list_item("<b>bold</b> & <i>brave</i>")

        # It is shown exactly as she typed it, not interpreted
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "#id_list_table b"), [])

        # She mistypes the address of a list, and gets a friendly "not found" page
        self.browser.get(self.live_server_url + "/lists/987654321/")
        self.wait_for(
            lambda: self.assertIn("Not found", self.browser.find_element(By.TAG_NAME, "h1").text)
        )
        self.assertNotIn("Server Error", self.browser.find_element(By.TAG_NAME, "body").text)

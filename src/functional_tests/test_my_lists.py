from selenium.webdriver.common.by import By

from functional_tests.base import FunctionalTest


class MyListsTest(FunctionalTest):
    def test_logged_in_users_lists_are_saved_as_my_lists(self) -> None:
        # Edith is a logged-in user
        self.create_pre_authenticated_session("edith@example.com")

        # She goes to the home page and starts a list
        self.browser.get(self.live_server_url)
        self.add_list_item("Reticulate splines")
        self.add_list_item("Immanentize eschaton")
        first_list_url = self.browser.current_url

        # She notices a "My lists" link, for the first time.
        self.browser.find_element(By.LINK_TEXT, "My lists").click()

        # She sees her email is there on the page, heading her lists
        self.wait_for(
            lambda: self.assertEqual(
                self.browser.find_element(By.CSS_SELECTOR, "h1").text, "My Lists"
            )
        )
        self.assertIn("edith@example.com", self.browser.find_element(By.CSS_SELECTOR, "h2").text)

        # And she sees that her list is in there,
        # named according to its first list item
        self.wait_for(lambda: self.browser.find_element(By.LINK_TEXT, "Reticulate splines"))
        self.browser.find_element(By.LINK_TEXT, "Reticulate splines").click()
        self.wait_for(lambda: self.assertEqual(self.browser.current_url, first_list_url))

        # She decides to start another list, just to see
        self.browser.get(self.live_server_url)
        self.add_list_item("Click cows")
        second_list_url = self.browser.current_url

        # Under "my lists", her new list appears
        self.browser.find_element(By.LINK_TEXT, "My lists").click()
        self.wait_for(lambda: self.browser.find_element(By.LINK_TEXT, "Click cows"))
        self.browser.find_element(By.LINK_TEXT, "Click cows").click()
        self.wait_for(lambda: self.assertEqual(self.browser.current_url, second_list_url))

        # She logs out.  The "My lists" option disappears
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()
        self.wait_for(
            lambda: self.assertEqual(self.browser.find_elements(By.LINK_TEXT, "My lists"), [])
        )

    def test_an_address_with_a_slash_in_it_has_its_lists_too(self) -> None:
        # Fred's address has a slash in it, as addresses may
        self.create_pre_authenticated_session("fred/flintstone@example.com")

        # He starts a list, and goes to his lists
        self.browser.get(self.live_server_url)
        self.add_list_item("Yabba dabba doo")
        self.browser.find_element(By.LINK_TEXT, "My lists").click()
        self.wait_for(
            lambda: self.assertIn(
                "fred/flintstone@example.com's lists",
                self.browser.find_element(By.CSS_SELECTOR, "h2").text,
            )
        )
        self.browser.find_element(By.LINK_TEXT, "Yabba dabba doo")

        # He can log out, too
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()
        self.wait_for(
            lambda: self.assertEqual(self.browser.find_elements(By.LINK_TEXT, "My lists"), [])
        )

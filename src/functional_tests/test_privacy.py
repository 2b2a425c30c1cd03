from selenium.webdriver.common.by import By

from functional_tests.base import FunctionalTest
from functional_tests.list_page import ListPage


class PrivacyTest(FunctionalTest):
    def assert_not_found_page(self) -> None:
        self.wait_for(
            lambda: self.assertIn("Not found", self.browser.find_element(By.TAG_NAME, "h1").text)
        )

    def test_nobody_else_can_see_or_guess_a_private_list(self) -> None:
        edith = self.email_address_for("edith")
        oni = self.email_address_for("onesiphorus")
        mallory = self.email_address_for("mallory")

        # Edith starts a list, which is hers alone, and shares it with Onesiphorus
        self.create_pre_authenticated_session(edith)
        edith_browser = self.browser
        self.browser.get(self.live_server_url)
        list_page = ListPage(self).add_list_item("Plan the surprise party")
        list_url = self.browser.current_url
        list_page.share_list_with(oni)

        # Its address tells nothing about any other list's
        self.assertRegex(list_url, r"/lists/[A-Za-z0-9_-]{22}/$")

        # Someone who is not logged in opens the list's address, and finds nothing there
        self.open_another_browser()
        self.browser.get(list_url)
        self.assert_not_found_page()
        self.assertNotIn("Plan the surprise party", self.page_text())

        # Mallory logs in on that browser and tries again: still nothing
        self.create_pre_authenticated_session(mallory)
        self.browser.get(list_url)
        self.assert_not_found_page()

        # She tries a neighbouring address, and Edith's My Lists page: nothing either
        key = list_url.rstrip("/").rsplit("/", 1)[1]
        neighbour = key[:-1] + ("B" if key[-1] == "A" else "A")
        self.browser.get(f"{self.live_server_url}/lists/{neighbour}/")
        self.assert_not_found_page()
        self.browser.get(f"{self.live_server_url}/lists/users/{edith}/")
        self.assert_not_found_page()

        # Onesiphorus can see it, until Edith stops sharing it with him
        oni_browser = self.open_another_browser()
        self.create_pre_authenticated_session(oni)
        self.browser.get(list_url)
        list_page.wait_for_row_in_list_table("Plan the surprise party", 1)

        self.browser = edith_browser
        self.browser.refresh()
        self.browser.find_element(By.CSS_SELECTOR, "#id_sharees button").click()
        self.wait_for(lambda: self.assertEqual(list_page.get_shared_with_list(), []))

        self.browser = oni_browser
        self.browser.refresh()
        self.assert_not_found_page()

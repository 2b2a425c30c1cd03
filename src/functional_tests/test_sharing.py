import re

from selenium.webdriver.common.by import By

from functional_tests.base import FunctionalTest
from functional_tests.list_page import ListPage
from functional_tests.my_lists_page import MyListsPage
from lists.forms import SHARE_WITH_YOURSELF_ERROR
from lists.views import SHARE_EMAIL_SUBJECT


class SharingTest(FunctionalTest):
    def test_can_share_a_list_with_another_user(self) -> None:
        edith = self.email_address_for("edith")
        oni = self.email_address_for("onesiphorus")

        # Edith is a logged-in user
        self.create_pre_authenticated_session(edith)
        edith_browser = self.browser

        # Her friend Onesiphorus is also hanging out on the lists site
        oni_browser = self.open_another_browser()
        self.create_pre_authenticated_session(oni)

        # Edith goes to the home page and starts a list
        self.browser = edith_browser
        self.browser.get(self.live_server_url)
        list_page = ListPage(self).add_list_item("Get help")

        # She notices a "Share this list" option
        share_box = list_page.get_share_box()
        self.assertEqual(share_box.get_attribute("placeholder"), "your-friend@example.com")

        # She shares her list.
        # The page updates to say that it's shared with Onesiphorus:
        list_page.share_list_with(oni)

        # Onesiphorus now goes to the lists page with his browser
        self.browser = oni_browser
        MyListsPage(self).go_to_my_lists_page(oni)

        # He sees Edith's list in there!
        self.browser.find_element(By.LINK_TEXT, "Get help").click()

        # On the list page, Onesiphorus can see says that it's Edith's list
        self.wait_for(lambda: self.assertEqual(list_page.get_list_owner(), edith))

        # He adds an item to the list
        list_page.add_list_item("Hi Edith!")

        # When Edith refreshes the page, she sees Onesiphorus's addition
        self.browser = edith_browser
        self.browser.refresh()
        list_page.wait_for_row_in_list_table("Hi Edith!", 2)

    def test_the_sharee_is_emailed_a_link_to_the_list(self) -> None:
        edith = self.email_address_for("edith")
        oni = self.email_address_for("onesiphorus")

        # Edith starts a list and shares it with Onesiphorus, who has never used Superlists
        self.create_pre_authenticated_session(edith)
        self.browser.get(self.live_server_url)
        list_page = ListPage(self).add_list_item("Buy a goat")
        list_url = self.browser.current_url
        list_page.share_list_with(oni)

        # She is told that Onesiphorus has been sent an email
        self.wait_for(lambda: self.assertIn("we've emailed them a link", self.page_text()))

        # Onesiphorus gets an email saying Edith shared a list with him
        body = self.wait_for_email_body(oni, SHARE_EMAIL_SUBJECT.format(owner=edith))
        link = re.search(r"https?://\S+/lists/\S+/", body)
        if not link:
            self.fail(f"Could not find the list's link in the email body:\n{body}")
        self.assertEqual(link.group(0), list_url)

        # He logs in, on a browser of his own, and follows the link
        self.open_another_browser()
        self.create_pre_authenticated_session(oni)
        self.browser.get(link.group(0))

        # There is Edith's list, waiting for him
        list_page.wait_for_row_in_list_table("Buy a goat", 1)
        self.assertEqual(list_page.get_list_owner(), edith)

    def test_sharing_mistakes_get_a_clear_answer(self) -> None:
        edith = self.email_address_for("edith")
        self.create_pre_authenticated_session(edith)
        self.browser.get(self.live_server_url)
        list_page = ListPage(self).add_list_item("Learn to juggle")

        # Edith absent-mindedly tries to share her list with herself
        list_page.get_share_box().send_keys(edith)
        self.browser.find_element(By.CSS_SELECTOR, "#id_share_form button").click()

        # She is told that makes no sense, and nobody is added
        self.wait_for(
            lambda: self.assertIn(
                SHARE_WITH_YOURSELF_ERROR,
                self.browser.find_element(By.CSS_SELECTOR, "#id_sharee_feedback").text,
            )
        )
        self.assertEqual(list_page.get_shared_with_list(), [])
        list_page.wait_for_row_in_list_table("Learn to juggle", 1)

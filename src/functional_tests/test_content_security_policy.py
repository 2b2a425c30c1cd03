from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from functional_tests.base import FunctionalTest
from functional_tests.list_page import ListPage


class ContentSecurityPolicyTest(FunctionalTest):
    def test_the_sites_own_pages_keep_to_its_content_security_policy(self) -> None:
        test_email = self.email_address_for("edith")

        # Edith, a careful web developer, keeps her browser's console open as she uses the site.
        # She starts a list, and tries to add the same item twice, so the error shows
        self.browser.get(self.live_server_url)
        self.add_list_item("Buy wellies")
        self.get_item_input_box().send_keys("Buy wellies", Keys.ENTER)
        self.wait_for(lambda: self.browser.find_element(By.CSS_SELECTOR, ".is-invalid"))

        # She asks for a login link, opens it, and logs in
        self.browser.get(self.ask_for_login_link(test_email))
        self.confirm_login()
        self.wait_to_be_logged_in(email=test_email)

        # She starts a list of her own, and ticks off, edits and deletes items, which
        # happens in place (htmx)
        list_page = ListPage(self)
        list_page.add_list_item("Buy wellies")
        list_page.add_list_item("Buy a hat")
        list_page.tick("Buy wellies")
        self.wait_for(lambda: self.assertTrue(list_page.is_done("Buy wellies")))
        list_page.start_editing("Buy a hat")
        self.wait_for(lambda: self.browser.find_element(By.ID, "id_edit_text"))
        list_page.delete("Buy wellies")
        self.wait_for(lambda: self.assertEqual(len(list_page.get_table_rows()), 1))

        # She looks at her lists, and at a page that isn't there
        self.browser.find_element(By.LINK_TEXT, "My lists").click()
        self.wait_for(lambda: self.assertIn("Lists shared with me", self.page_text()))
        self.browser.get(self.live_server_url + "/lists/987654321/")
        self.wait_for(lambda: self.assertIn("Not found", self.page_text()))

        # Not once did her browser have to block anything the site's own pages asked for
        self.assertEqual(self.content_security_policy_violations(), [])

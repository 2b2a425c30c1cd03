import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from accounts.views import LOGIN_EMAIL_SUBJECT
from functional_tests.base import FunctionalTest


class LoginTest(FunctionalTest):
    def test_login_using_magic_link(self):
        test_email = self.email_address_for("edith")

        # Edith goes to the awesome superlists site
        # and notices a "Log in" section in the navbar for the first time
        # It's telling her to enter her email address, so she does
        self.browser.get(self.live_server_url)
        navbar = self.browser.find_element(By.CSS_SELECTOR, ".navbar")
        self.assertIn("Enter your email to log in", navbar.text)
        self.browser.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(
            test_email, Keys.ENTER
        )

        # A message appears telling her an email has been sent
        self.wait_for(
            lambda: self.assertIn(
                "Check your email", self.browser.find_element(By.CSS_SELECTOR, "body").text
            )
        )

        # She checks her email and finds a message
        body = self.wait_for_email_body(test_email, LOGIN_EMAIL_SUBJECT)

        # It has a URL link in it
        self.assertIn("Use this link to log in", body)
        url_search = re.search(r"http://.+/.+$", body, re.MULTILINE)
        if not url_search:
            self.fail(f"Could not find url in email body:\n{body}")
        url = url_search.group(0)
        self.assertIn(self.live_server_url, url)

        # she clicks it
        self.browser.get(url)

        # she is logged in!
        self.wait_to_be_logged_in(email=test_email)

        # Now she logs out
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()

        # She is logged out
        self.wait_to_be_logged_out(email=test_email)

    def test_a_bad_login_link_says_so(self):
        # Edith finds an old, mangled login link and follows it
        self.browser.get(self.live_server_url + "/accounts/login?token=not-a-real-token")

        # The site tells her the link is no good, and she is not logged in
        self.wait_for(
            lambda: self.assertIn(
                "Invalid login link, please request a new one",
                self.browser.find_element(By.CSS_SELECTOR, "body").text,
            )
        )
        self.wait_to_be_logged_out(email="edith")

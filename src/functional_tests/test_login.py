import re

from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from accounts.views import LOGIN_EMAIL_SUBJECT
from functional_tests.base import FunctionalTest

TEST_EMAIL = "edith@example.com"


class LoginTest(FunctionalTest):
    def test_login_using_magic_link(self):
        # Edith goes to the awesome superlists site
        # and notices a "Log in" section in the navbar for the first time
        # It's telling her to enter her email address, so she does
        self.browser.get(self.live_server_url)
        navbar = self.browser.find_element(By.CSS_SELECTOR, ".navbar")
        self.assertIn("Enter your email to log in", navbar.text)
        self.browser.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(
            TEST_EMAIL, Keys.ENTER
        )

        # A message appears telling her an email has been sent
        self.wait_for(
            lambda: self.assertIn(
                "Check your email", self.browser.find_element(By.CSS_SELECTOR, "body").text
            )
        )

        # She checks her email and finds a message
        email = mail.outbox.pop()
        self.assertIn(TEST_EMAIL, email.to)
        self.assertEqual(email.subject, LOGIN_EMAIL_SUBJECT)

        # It has a URL link in it
        self.assertIn("Use this link to log in", email.body)
        url_search = re.search(r"http://.+/.+$", email.body)
        if not url_search:
            self.fail(f"Could not find url in email body:\n{email.body}")
        url = url_search.group(0)
        self.assertIn(self.live_server_url, url)

        # she clicks it
        self.browser.get(url)

        # she is logged in!
        self.wait_to_be_logged_in(email=TEST_EMAIL)

        # Now she logs out
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()

        # She is logged out
        self.wait_to_be_logged_out(email=TEST_EMAIL)

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
        self.wait_to_be_logged_out(email=TEST_EMAIL)

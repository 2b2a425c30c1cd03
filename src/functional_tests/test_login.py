import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from accounts.views import (
    EXPIRED_LOGIN_LINK,
    INVALID_LOGIN_LINK,
    LOGIN_EMAIL_SUBJECT,
    USED_LOGIN_LINK,
)
from functional_tests.base import FunctionalTest


class LoginTest(FunctionalTest):
    def test_login_using_magic_link(self) -> None:
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
        self.wait_for(lambda: self.assertIn("Check your email", self.page_text()))

        # She checks her email and finds a message
        body = self.wait_for_email_body(test_email, LOGIN_EMAIL_SUBJECT)

        # It has a URL link in it
        self.assertIn("Use this link to log in", body)
        url_search = re.search(r"https?://.+/.+$", body, re.MULTILINE)
        if not url_search:
            self.fail(f"Could not find url in email body:\n{body}")
        url = url_search.group(0)
        self.assertIn(self.live_server_url, url)

        # she clicks it
        self.browser.get(url)

        # The site asks her to confirm who she is logging in as
        self.wait_for(
            lambda: self.assertIn(f"Log in to Superlists as {test_email}?", self.page_text())
        )
        self.wait_to_be_logged_out(email=test_email)

        # She clicks the button
        self.browser.find_element(By.CSS_SELECTOR, "#id_confirm_login").click()

        # she is logged in!
        self.wait_to_be_logged_in(email=test_email)

        # Now she logs out
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()

        # She is logged out
        self.wait_to_be_logged_out(email=test_email)

    def test_a_login_link_works_only_once(self) -> None:
        test_email = self.email_address_for("edith")

        # Edith logs in with the link she was emailed, then logs out
        url = self.ask_for_login_link(test_email)
        self.browser.get(url)
        self.confirm_login()
        self.wait_to_be_logged_in(email=test_email)
        self.browser.find_element(By.CSS_SELECTOR, "#id_logout").click()
        self.wait_to_be_logged_out(email=test_email)

        # Later, she finds the old email and clicks its link again
        self.browser.get(url)

        # The site tells her that link has been used, and she is not logged in
        self.wait_for(lambda: self.assertIn(USED_LOGIN_LINK, self.page_text()))
        self.wait_to_be_logged_out(email=test_email)

    def test_an_expired_login_link_says_so_and_a_new_one_works(self) -> None:
        test_email = self.email_address_for("edith")

        # Edith asks for a login link, then gets distracted for longer than it lasts
        url = self.ask_for_login_link(test_email)
        self.expire_login_links(test_email)

        # When she clicks it, the site tells her it has expired, and she is not logged in
        self.browser.get(url)
        self.wait_for(lambda: self.assertIn(EXPIRED_LOGIN_LINK, self.page_text()))
        self.wait_to_be_logged_out(email=test_email)

        # So she asks for a new one, right there in the navbar, and that one works
        self.browser.get(self.ask_for_login_link(test_email))
        self.confirm_login()
        self.wait_to_be_logged_in(email=test_email)

    def test_a_bad_login_link_says_so(self) -> None:
        # Edith finds an old, mangled login link and follows it
        self.browser.get(self.live_server_url + "/accounts/login?token=not-a-real-token")

        # The site tells her the link is no good, and she is not logged in
        self.wait_for(lambda: self.assertIn(INVALID_LOGIN_LINK, self.page_text()))
        self.wait_to_be_logged_out(email="edith")

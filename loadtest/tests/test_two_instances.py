"""Two app instances behind one site act as one: what one instance starts, the other finishes.

Tagged "postgres": needs DATABASE_URL=postgres://… (scripts/test-postgres makes one;
scripts/test leaves these out). Each instance is production's gunicorn (gunicorn.conf.py). With
REDIS_URL set as well (scripts/test-postgres runs these a second time with a throwaway Redis),
the shared cache is Redis instead of the database.
"""

import os
import secrets
import unittest
from concurrent.futures import ThreadPoolExecutor

import redis
from django.test import tag

from loadtest.visitor import Visitor, login_link_path
from sitekit.gunicorn_server import gunicorn_serving
from sitekit.instances import instances_env
from sitekit.mail_sink import KeepMessages
from sitekit.production_env import postgres_url_for_tests
from sitekit.web_client import Page, hidden_field


@tag("postgres")
class TwoInstancesActAsOneTest(unittest.TestCase):
    mail: KeepMessages
    env: dict[str, str]
    instance_a: str
    instance_b: str

    @classmethod
    def setUpClass(cls) -> None:
        database = {"DATABASE_URL": postgres_url_for_tests()}
        cls.env, cls.mail = cls.enterClassContext(instances_env(database))
        # Share limits high enough for simultaneous shares with one address to race each other.
        cls.env |= {f"SHARE_EMAILS_PER_MINUTE_PER_{each}": "100" for each in ("ADDRESS", "IP")}
        cls.instance_a = cls.enterClassContext(gunicorn_serving(cls.env)).base_url
        cls.instance_b = cls.enterClassContext(gunicorn_serving(cls.env)).base_url

    def ask_for_login_email(self, visitor: Visitor, email: str) -> Page:
        home = visitor.request("GET", "/")
        return visitor.request(
            "POST",
            "/accounts/send_login_email",
            {"email": email, "csrfmiddlewaretoken": visitor.csrf_token(home)},
        )

    def test_a_login_link_asked_for_on_one_instance_works_on_the_other(self):
        email = f"edith-{secrets.token_hex(4)}@example.com"
        asked = self.ask_for_login_email(Visitor([self.instance_a]), email)
        self.assertEqual(asked.status, 302)
        link = login_link_path(self.mail.wait_for_message_to(email).get_content())

        on_b = Visitor([self.instance_b])
        confirm_page = on_b.request("GET", link)
        self.assertIn(f"Log in to Superlists as {email}?", confirm_page.body)
        token = hidden_field(confirm_page, "token")
        logged_in = on_b.request(
            "POST",
            "/accounts/login",
            {"token": token, "csrfmiddlewaretoken": on_b.csrf_token(confirm_page)},
        )
        self.assertEqual(logged_in.status, 302)
        self.assertIn(f"Logged in as {email}", on_b.request("GET", "/").body)

    def logged_in_visitor(self, email: str) -> Visitor:
        visitor = Visitor([self.instance_a])
        self.ask_for_login_email(visitor, email)
        link = login_link_path(self.mail.wait_for_message_to(email).get_content())
        confirm_page = visitor.request("GET", link)
        token = hidden_field(confirm_page, "token")
        visitor.request(
            "POST",
            "/accounts/login",
            {"token": token, "csrfmiddlewaretoken": visitor.csrf_token(confirm_page)},
        )
        return visitor

    def test_simultaneous_shares_with_one_address_send_one_email(self):
        tag = secrets.token_hex(4)
        owner = self.logged_in_visitor(f"olga-{tag}@example.com")
        home = owner.request("GET", "/")
        list_path = owner.submit_item("/lists/new", "Party", home).location
        list_page = owner.request("GET", list_path)
        sharee = f"sam-{tag}@example.com"

        def share(number: int) -> int:
            # Each share from a browser of its own (with the owner's cookies), on either instance
            browser = Visitor([self.instance_a, self.instance_b][number % 2])
            browser.session.cookies.update(owner.session.cookies)
            with browser:
                return browser.submit_form(
                    f"{list_path}share", {"sharee": sharee}, list_page
                ).status

        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(share, range(24)))

        self.assertEqual(answers.count(302), 1, answers)  # the others: "already shared" (200)
        self.assertEqual(answers.count(200), 23, answers)
        sent = [message for message in self.mail.messages if sharee in message["To"]]
        self.assertEqual(len(sent), 1)

    def test_the_login_email_limit_counted_on_one_instance_holds_on_the_other(self):
        email = f"francis-{secrets.token_hex(4)}@example.com"
        on_a = Visitor([self.instance_a])
        answers = [self.ask_for_login_email(on_a, email).status for _ in range(3)]
        self.assertEqual(answers, [302, 302, 302])  # 3 a minute per address, the default

        refused = self.ask_for_login_email(Visitor([self.instance_b]), email)

        self.assertEqual(refused.status, 429)
        self.assertIn("Too many login emails", refused.body)
        sent = [message for message in self.mail.messages if email in message["To"]]
        self.assertEqual(len(sent), 3)
        if redis_url := os.environ.get("REDIS_URL"):
            # ...and the count is really in Redis, not in the database.
            self.assertTrue(redis.Redis.from_url(redis_url).keys("*"), "nothing in Redis")

"""Two app instances behind one site act as one: what one instance starts, the other finishes.

Needs DATABASE_URL=postgres://… (scripts/test-postgres makes one). With REDIS_URL set as well
(scripts/test-postgres runs these a second time with a throwaway Redis), the shared cache is
Redis instead of the database.
"""

import os
import secrets
import unittest

import redis

from loadtest.mail_sink import mail_sink
from loadtest.servers import gunicorn, postgres_url_for_tests, prepare, production_env
from loadtest.visitor import Visitor, hidden_field, login_link_path


class TwoInstancesActAsOneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        database_url = postgres_url_for_tests()
        cls.sink = cls.enterClassContext(mail_sink())
        port, cls.mail = cls.sink
        cls.env = production_env({"DATABASE_URL": database_url}, EMAIL_PORT=str(port))
        prepare(cls.env)
        cls.instance_a = cls.enterClassContext(gunicorn(cls.env, workers=1))
        cls.instance_b = cls.enterClassContext(gunicorn(cls.env, workers=1))

    def ask_for_login_email(self, visitor: Visitor, email: str):
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

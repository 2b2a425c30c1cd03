from django.test import TestCase

from accounts.authentication import PasswordlessAuthenticationBackend
from accounts.models import Token, User


class AuthenticateTest(TestCase):
    backend = PasswordlessAuthenticationBackend()

    def test_returns_none_if_no_such_token(self):
        self.assertIsNone(self.backend.authenticate(None, "no-such-token"))

    def test_returns_none_without_a_token(self):
        self.assertIsNone(self.backend.authenticate(None, None))
        self.assertIsNone(self.backend.authenticate(None, ""))

    def test_returns_new_user_with_correct_email_if_token_exists(self):
        token = Token.objects.create(email="edith@example.com")
        user = self.backend.authenticate(None, token.uid)
        self.assertEqual(user, User.objects.get(email="edith@example.com"))

    def test_returns_existing_user_with_correct_email_if_token_exists(self):
        existing_user = User.objects.create(email="edith@example.com")
        token = Token.objects.create(email="edith@example.com")
        self.assertEqual(self.backend.authenticate(None, token.uid), existing_user)


class GetUserTest(TestCase):
    backend = PasswordlessAuthenticationBackend()

    def test_gets_user_by_email(self):
        User.objects.create(email="another@example.com")
        desired_user = User.objects.create(email="edith@example.com")
        self.assertEqual(self.backend.get_user("edith@example.com"), desired_user)

    def test_returns_none_if_no_user_with_that_email(self):
        self.assertIsNone(self.backend.get_user("edith@example.com"))

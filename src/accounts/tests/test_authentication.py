from django.test import TestCase

from accounts.authentication import PasswordlessAuthenticationBackend
from accounts.models import User
from accounts.tokens import issue_login_token


class AuthenticateTest(TestCase):
    backend = PasswordlessAuthenticationBackend()

    def test_returns_none_if_no_such_token(self) -> None:
        self.assertIsNone(self.backend.authenticate(None, token="no-such-token"))

    def test_returns_none_without_a_token(self) -> None:
        self.assertIsNone(self.backend.authenticate(None, token=None))
        self.assertIsNone(self.backend.authenticate(None, token=""))

    def test_returns_new_user_with_correct_email_if_token_exists(self) -> None:
        token = issue_login_token("edith@example.com")
        user = self.backend.authenticate(None, token=token)
        self.assertEqual(user, User.objects.get(email="edith@example.com"))

    def test_returns_existing_user_with_correct_email_if_token_exists(self) -> None:
        existing_user = User.objects.create(email="edith@example.com")
        token = issue_login_token("edith@example.com")
        self.assertEqual(self.backend.authenticate(None, token=token), existing_user)

    def test_a_token_logs_in_only_once(self) -> None:
        token = issue_login_token("edith@example.com")
        self.assertIsNotNone(self.backend.authenticate(None, token=token))
        self.assertIsNone(self.backend.authenticate(None, token=token))


class GetUserTest(TestCase):
    backend = PasswordlessAuthenticationBackend()

    def test_gets_user_by_email(self) -> None:
        User.objects.create(email="another@example.com")
        desired_user = User.objects.create(email="edith@example.com")
        self.assertEqual(self.backend.get_user("edith@example.com"), desired_user)

    def test_returns_none_if_no_user_with_that_email(self) -> None:
        self.assertIsNone(self.backend.get_user("edith@example.com"))

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

    def test_an_address_in_another_case_logs_in_to_the_same_account(self) -> None:
        edith = User.objects.create(email="edith@example.com")
        token = issue_login_token("Edith@Example.com")
        self.assertEqual(self.backend.authenticate(None, token=token), edith)
        self.assertEqual(User.objects.count(), 1)

    def test_of_old_accounts_differing_in_case_the_exact_one_logs_in(self) -> None:
        User.objects.create(email="edith@example.com")
        shouting = User.objects.create(email="EDITH@example.com")
        token = issue_login_token("EDITH@example.com")
        self.assertEqual(self.backend.authenticate(None, token=token), shouting)
        token = issue_login_token("Edith@example.com")  # neither: one of them, never an error
        self.assertIn(self.backend.authenticate(None, token=token), User.objects.all())
        self.assertEqual(User.objects.count(), 2)

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

from django.contrib import auth
from django.db import IntegrityError
from django.test import TestCase

from accounts.models import Token, User


class UserModelTest(TestCase):
    def test_user_is_valid_with_email_only(self) -> None:
        User(email="a@b.com").full_clean()  # should not raise

    def test_email_is_primary_key(self) -> None:
        self.assertEqual(User(email="a@b.com").pk, "a@b.com")

    def test_model_is_the_auth_user_model(self) -> None:
        self.assertIs(auth.get_user_model(), User)


class TokenModelTest(TestCase):
    def test_selectors_are_unique(self) -> None:
        Token.objects.create(email="a@b.com", selector="s" * 16, verifier_hash="h" * 64)
        with self.assertRaises(IntegrityError):
            Token.objects.create(email="c@d.com", selector="s" * 16, verifier_hash="h" * 64)

    def test_records_when_it_was_created_and_is_not_yet_used(self) -> None:
        token = Token.objects.create(email="a@b.com", selector="s" * 16, verifier_hash="h" * 64)
        self.assertIsNotNone(token.created_at)
        self.assertIsNone(token.used_at)

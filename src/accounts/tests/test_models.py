from django.contrib import auth
from django.test import TestCase

from accounts.models import Token, User


class UserModelTest(TestCase):
    def test_user_is_valid_with_email_only(self):
        User(email="a@b.com").full_clean()  # should not raise

    def test_email_is_primary_key(self):
        self.assertEqual(User(email="a@b.com").pk, "a@b.com")

    def test_model_is_the_auth_user_model(self):
        self.assertIs(auth.get_user_model(), User)


class TokenModelTest(TestCase):
    def test_links_user_with_auto_generated_uid(self):
        token1 = Token.objects.create(email="a@b.com")
        token2 = Token.objects.create(email="a@b.com")
        self.assertNotEqual(token1.uid, token2.uid)

"""The people of the lists' view tests: Edith owns a list, shared with Onesiphorus; Mallory is
logged in but neither, and a visitor who is not logged in is ``as_user(None)``."""

from django.test import Client, TestCase

from accounts.models import User
from lists.models import List


class EdithsSharedListTestCase(TestCase):
    def setUp(self) -> None:
        self.edith = User.objects.create(email="edith@example.com")
        self.oni = User.objects.create(email="oni@example.com")
        self.mallory = User.objects.create(email="mallory@example.com")
        self.list = List.objects.create(owner=self.edith)
        self.list.shared_with.add(self.oni)
        self.url = self.list.get_absolute_url()

    def as_user(self, user: User | None) -> Client:
        """A browser logged in as ``user``, or not logged in at all for None."""
        client = Client()
        if user:
            client.force_login(user)
        return client

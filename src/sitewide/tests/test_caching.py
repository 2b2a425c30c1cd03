from django.test import TestCase
from django.utils.cache import get_max_age

from accounts.models import User
from accounts.tokens import issue_login_token
from lists.models import Item, List


class PrivatePagesAreNotCachedTest(TestCase):
    def setUp(self) -> None:
        self.edith = User.objects.create(email="edith@example.com")
        self.oni = User.objects.create(email="oni@example.com")
        self.list = List.objects.create(owner=self.edith)
        self.list.shared_with.add(self.oni)
        item = Item.objects.create(list=self.list, text="Get help")
        self.url = self.list.get_absolute_url()
        self.edith_pages = [
            "/",
            self.url,
            f"{self.url}rename",
            f"{self.url}delete",
            f"{self.url}items/{item.pk}/edit",
            "/lists/users/edith@example.com/",
        ]

    def cache_control(self, url: str) -> set[str]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}

    def test_every_page_a_logged_in_user_sees_is_private_and_not_stored(self) -> None:
        self.client.force_login(self.edith)
        for url in self.edith_pages:
            with self.subTest(url=url):
                self.assertLessEqual({"private", "no-store"}, self.cache_control(url))

    def test_a_shared_list_too(self) -> None:
        self.client.force_login(self.oni)
        self.assertLessEqual({"private", "no-store"}, self.cache_control(self.url))

    def test_the_login_confirmation_keeps_never_cache(self) -> None:
        response = self.client.get(f"/accounts/login?token={issue_login_token('x@example.com')}")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(get_max_age(response), 0)

    def test_pages_for_visitors_not_logged_in_are_left_as_they_are(self) -> None:
        anyones = List.objects.create()
        Item.objects.create(list=anyones, text="Anyone's")
        for url in ["/", anyones.get_absolute_url()]:
            with self.subTest(url=url):
                self.assertNotIn("Cache-Control", self.client.get(url))

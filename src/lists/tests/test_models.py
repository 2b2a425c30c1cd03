from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse, set_script_prefix

from accounts.models import User
from lists.models import ITEM_ROUTES, Item, List, item_url_suffixes, item_urls_of


class ItemModelTest(TestCase):
    def test_default_text(self) -> None:
        self.assertEqual(Item().text, "")

    def test_item_is_related_to_list(self) -> None:
        mylist = List.objects.create()
        item = Item.objects.create(list=mylist, text="a")
        self.assertIn(item, mylist.item_set.all())

    def test_cannot_save_empty_list_items(self) -> None:
        mylist = List.objects.create()
        item = Item(list=mylist, text="")
        with self.assertRaises(ValidationError):
            item.full_clean()

    def test_duplicate_items_are_invalid(self) -> None:
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="bla")
        with self.assertRaises(IntegrityError):
            Item.objects.create(list=mylist, text="bla")

    def test_can_save_same_item_to_different_lists(self) -> None:
        Item.objects.create(list=List.objects.create(), text="bla")
        item = Item(list=List.objects.create(), text="bla")
        item.full_clean()  # should not raise

    def test_list_ordering(self) -> None:
        mylist = List.objects.create()
        item1 = Item.objects.create(list=mylist, text="i1")
        item2 = Item.objects.create(list=mylist, text="item 2")
        item3 = Item.objects.create(list=mylist, text="3")
        self.assertEqual(list(Item.objects.all()), [item1, item2, item3])

    def test_string_representation(self) -> None:
        self.assertEqual(str(Item(text="some text")), "some text")


class ListModelTest(TestCase):
    def test_get_absolute_url(self) -> None:
        mylist = List.objects.create()
        self.assertEqual(mylist.get_absolute_url(), f"/lists/{mylist.key}/")

    def test_get_absolute_url_is_what_reverse_gives(self) -> None:
        for key in [List.objects.create().key, "-" * 22, "_AZaz09" * 3 + "x"]:
            with self.subTest(key=key):
                self.assertEqual(List(key=key).get_absolute_url(), reverse("view_list", args=[key]))

    def test_get_absolute_url_follows_the_script_prefix(self) -> None:
        self.addCleanup(set_script_prefix, "/")
        mylist = List.objects.create()
        set_script_prefix("/todo/")
        self.assertEqual(mylist.get_absolute_url(), f"/todo/lists/{mylist.key}/")
        set_script_prefix("/")
        self.assertEqual(mylist.get_absolute_url(), f"/lists/{mylist.key}/")

    def test_lists_can_have_owners(self) -> None:
        user = User.objects.create(email="a@b.com")
        mylist = List.objects.create(owner=user)
        self.assertIn(mylist, user.lists.all())

    def test_list_owner_is_optional(self) -> None:
        List.objects.create()  # should not raise

    def test_list_name_is_first_item_text(self) -> None:
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="first item")
        Item.objects.create(list=mylist, text="second item")
        self.assertEqual(mylist.name, "first item")

    def test_with_names_gives_the_same_names_in_one_query(self) -> None:
        for number in range(3):
            mylist = List.objects.create()
            Item.objects.create(list=mylist, text=f"first of {number}")
            Item.objects.create(list=mylist, text=f"second of {number}")
        with self.assertNumQueries(1):
            names = [each.name for each in List.objects.with_names().order_by("id")]
        self.assertEqual(names, ["first of 0", "first of 1", "first of 2"])


class ListKeyTest(TestCase):
    def test_each_list_gets_a_random_url_safe_key_of_128_bits(self) -> None:
        keys = {List.objects.create().key for _ in range(50)}
        self.assertEqual(len(keys), 50)
        for key in keys:
            self.assertRegex(key, r"\A[A-Za-z0-9_-]{22}\Z")  # 22 base64 characters: 132 bits

    def test_new_lists_have_no_numbered_url(self) -> None:
        self.assertFalse(List.objects.create().has_numbered_url)


class VisibilityTest(TestCase):
    def setUp(self) -> None:
        self.owner = User.objects.create(email="owner@example.com")
        self.sharee = User.objects.create(email="sharee@example.com")
        self.stranger = User.objects.create(email="stranger@example.com")
        self.owned = List.objects.create(owner=self.owner)
        self.owned.shared_with.add(self.sharee)
        self.anyones = List.objects.create()

    def visible(self, user: User | AnonymousUser) -> set[List]:
        return set(List.objects.visible_to(user))

    def test_a_list_without_owner_is_visible_to_everyone(self) -> None:
        everyone: list[User | AnonymousUser] = [
            AnonymousUser(),
            self.owner,
            self.sharee,
            self.stranger,
        ]
        for user in everyone:
            self.assertIn(self.anyones, self.visible(user))

    def test_an_owned_list_is_visible_to_its_owner_and_sharees_only(self) -> None:
        self.assertIn(self.owned, self.visible(self.owner))
        self.assertIn(self.owned, self.visible(self.sharee))
        self.assertNotIn(self.owned, self.visible(self.stranger))
        self.assertNotIn(self.owned, self.visible(AnonymousUser()))

    def test_a_list_with_many_sharees_comes_once(self) -> None:
        for number in range(3):
            self.owned.shared_with.add(User.objects.create(email=f"more{number}@example.com"))
        self.assertEqual(List.objects.visible_to(self.owner).filter(pk=self.owned.pk).count(), 1)
        self.assertEqual(List.objects.visible_to(self.sharee).get(key=self.owned.key), self.owned)

    def test_owned_by_is_the_owners_lists_only(self) -> None:
        self.assertEqual(list(List.objects.owned_by(self.owner)), [self.owned])
        self.assertEqual(list(List.objects.owned_by(self.sharee)), [])
        self.assertEqual(list(List.objects.owned_by(AnonymousUser())), [])

    def test_owned_by_or_shared_with_is_the_users_lists_and_those_shared_with_them(self) -> None:
        self.assertEqual(list(List.objects.owned_by_or_shared_with(self.owner)), [self.owned])
        self.assertEqual(list(List.objects.owned_by_or_shared_with(self.sharee)), [self.owned])
        self.assertEqual(list(List.objects.owned_by_or_shared_with(self.stranger)), [])
        self.assertEqual(list(List.objects.owned_by_or_shared_with(AnonymousUser())), [])

    def test_is_visible_to_is_the_same_rule_as_visible_to(self) -> None:
        people: list[User | AnonymousUser] = [
            AnonymousUser(),
            self.owner,
            self.sharee,
            self.stranger,
        ]
        for user in people:
            for each in [self.owned, self.anyones]:
                with self.subTest(user=str(user), list=each.owner_id):
                    fresh = List.objects.get(pk=each.pk)
                    self.assertEqual(fresh.is_visible_to(user), each in self.visible(user))

    def test_an_anonymous_visitor_or_the_owner_is_told_without_a_query(self) -> None:
        anonymous_or_owner: list[User | AnonymousUser] = [AnonymousUser(), self.owner]
        for user in anonymous_or_owner:
            fresh = List.objects.get(pk=self.owned.pk)
            with self.subTest(user=str(user)), self.assertNumQueries(0):
                fresh.is_visible_to(user)

    def test_sharees_by_email_asked_for_once(self) -> None:
        self.owned.shared_with.add(User.objects.create(email="aardvark@example.com"))
        fresh = List.objects.get(pk=self.owned.pk)
        with self.assertNumQueries(1):
            self.assertTrue(fresh.is_visible_to(self.sharee))
            self.assertEqual(
                [sharee.email for sharee in fresh.sharees],
                ["aardvark@example.com", "sharee@example.com"],
            )

    def test_is_shared_with(self) -> None:
        self.assertTrue(self.owned.is_shared_with(self.sharee))
        self.assertFalse(self.owned.is_shared_with(self.owner))
        self.assertFalse(self.owned.is_shared_with(self.stranger))
        self.assertFalse(self.owned.is_shared_with(AnonymousUser()))

    def test_the_sharee_finds_shared_lists_under_shared_lists(self) -> None:
        self.assertEqual(list(self.sharee.shared_lists.all()), [self.owned])


class ItemUrlsTest(TestCase):
    def test_an_items_urls_are_its_routes_reversed(self) -> None:
        list_ = List.objects.create()
        urls = item_urls_of(list_.get_absolute_url(), 42, item_url_suffixes())
        self.assertEqual(urls, tuple(reverse(route, args=[list_.key, 42]) for route in ITEM_ROUTES))

    def test_under_a_script_prefix_too(self) -> None:
        self.addCleanup(set_script_prefix, "/")
        set_script_prefix("/todo/")
        list_ = List.objects.create()
        (done, _, _) = item_urls_of(list_.get_absolute_url(), 3, item_url_suffixes())
        self.assertEqual(done, f"/todo/lists/{list_.key}/items/3/done")

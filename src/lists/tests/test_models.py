from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase

from accounts.models import User
from lists.models import Item, List


class ItemModelTest(TestCase):
    def test_default_text(self):
        self.assertEqual(Item().text, "")

    def test_item_is_related_to_list(self):
        mylist = List.objects.create()
        item = Item.objects.create(list=mylist, text="a")
        self.assertIn(item, mylist.item_set.all())

    def test_cannot_save_empty_list_items(self):
        mylist = List.objects.create()
        item = Item(list=mylist, text="")
        with self.assertRaises(ValidationError):
            item.full_clean()

    def test_duplicate_items_are_invalid(self):
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="bla")
        with self.assertRaises(IntegrityError):
            Item.objects.create(list=mylist, text="bla")

    def test_can_save_same_item_to_different_lists(self):
        Item.objects.create(list=List.objects.create(), text="bla")
        item = Item(list=List.objects.create(), text="bla")
        item.full_clean()  # should not raise

    def test_list_ordering(self):
        mylist = List.objects.create()
        item1 = Item.objects.create(list=mylist, text="i1")
        item2 = Item.objects.create(list=mylist, text="item 2")
        item3 = Item.objects.create(list=mylist, text="3")
        self.assertEqual(list(Item.objects.all()), [item1, item2, item3])

    def test_string_representation(self):
        self.assertEqual(str(Item(text="some text")), "some text")


class ListModelTest(TestCase):
    def test_get_absolute_url(self):
        mylist = List.objects.create()
        self.assertEqual(mylist.get_absolute_url(), f"/lists/{mylist.id}/")

    def test_lists_can_have_owners(self):
        user = User.objects.create(email="a@b.com")
        mylist = List.objects.create(owner=user)
        self.assertIn(mylist, user.lists.all())

    def test_list_owner_is_optional(self):
        List.objects.create()  # should not raise

    def test_list_name_is_first_item_text(self):
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="first item")
        Item.objects.create(list=mylist, text="second item")
        self.assertEqual(mylist.name, "first item")

    def test_with_names_gives_the_same_names_in_one_query(self):
        for number in range(3):
            mylist = List.objects.create()
            Item.objects.create(list=mylist, text=f"first of {number}")
            Item.objects.create(list=mylist, text=f"second of {number}")
        with self.assertNumQueries(1):
            names = [each.name for each in List.objects.with_names().order_by("id")]
        self.assertEqual(names, ["first of 0", "first of 1", "first of 2"])

from django.test import TestCase

from accounts.models import User
from lists.forms import (
    DUPLICATE_ITEM_ERROR,
    EMPTY_ITEM_ERROR,
    TOO_LONG_ITEM_ERROR,
    ExistingListItemForm,
    ItemForm,
    NewListForm,
)
from lists.models import Item, List


class ItemFormTest(TestCase):
    def test_validation_for_blank_items(self):
        form = ItemForm(data={"text": ""})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_whitespace_only_is_blank(self):
        form = ItemForm(data={"text": "   "})
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_accepts_an_item_of_the_maximum_length(self):
        self.assertTrue(ItemForm(data={"text": "x" * Item.MAX_LENGTH}).is_valid())

    def test_refuses_longer_items_with_a_message(self):
        form = ItemForm(data={"text": "x" * (Item.MAX_LENGTH + 1)})
        self.assertEqual(form.errors["text"], [TOO_LONG_ITEM_ERROR])


class NewListFormTest(TestCase):
    def test_save_creates_new_list_and_item(self):
        form = NewListForm(data={"text": "do me"})
        self.assertTrue(form.is_valid())
        new_list = form.save(owner=User.objects.create(email="a@b.com"))
        self.assertEqual(List.objects.get(), new_list)
        self.assertEqual(new_list.item_set.get().text, "do me")

    def test_save_keeps_the_owner_if_logged_in(self):
        user = User.objects.create(email="a@b.com")
        form = NewListForm(data={"text": "do me"})
        form.is_valid()
        self.assertEqual(form.save(owner=user).owner, user)

    def test_save_leaves_anonymous_lists_ownerless(self):
        from django.contrib.auth.models import AnonymousUser

        form = NewListForm(data={"text": "do me"})
        form.is_valid()
        self.assertIsNone(form.save(owner=AnonymousUser()).owner)


class ExistingListItemFormTest(TestCase):
    def test_validation_for_blank_items(self):
        form = ExistingListItemForm(for_list=List.objects.create(), data={"text": ""})
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_validation_for_duplicate_items(self):
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="no twins!")
        form = ExistingListItemForm(for_list=mylist, data={"text": "no twins!"})
        self.assertEqual(form.errors["text"], [DUPLICATE_ITEM_ERROR])

    def test_same_text_in_another_list_is_fine(self):
        Item.objects.create(list=List.objects.create(), text="twin")
        form = ExistingListItemForm(for_list=List.objects.create(), data={"text": "twin"})
        self.assertTrue(form.is_valid())

    def test_save(self):
        mylist = List.objects.create()
        form = ExistingListItemForm(for_list=mylist, data={"text": "hi"})
        form.is_valid()
        self.assertEqual(form.save(), Item.objects.get())

    def test_save_of_an_item_added_meanwhile_by_another_request_is_a_duplicate_error(self):
        mylist = List.objects.create()
        form = ExistingListItemForm(for_list=mylist, data={"text": "at the same time"})
        self.assertTrue(form.is_valid())
        Item.objects.create(list=mylist, text="at the same time")  # the other request wins

        self.assertIsNone(form.save())
        self.assertEqual(form.errors["text"], [DUPLICATE_ITEM_ERROR])
        self.assertEqual(mylist.item_set.count(), 1)

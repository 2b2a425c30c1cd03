from django.test import TestCase

from accounts.models import User
from lists.forms import (
    ALREADY_SHARED_ERROR,
    DUPLICATE_ITEM_ERROR,
    EMPTY_ITEM_ERROR,
    SHARE_INVALID_EMAIL_ERROR,
    SHARE_WITH_YOURSELF_ERROR,
    TOO_LONG_ITEM_ERROR,
    ExistingListItemForm,
    ItemForm,
    NewListForm,
    RenameListForm,
    ShareListForm,
)
from lists.models import Item, List


class ItemFormTest(TestCase):
    def test_validation_for_blank_items(self) -> None:
        form = ItemForm(data={"text": ""})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_whitespace_only_is_blank(self) -> None:
        form = ItemForm(data={"text": "   "})
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_accepts_an_item_of_the_maximum_length(self) -> None:
        self.assertTrue(ItemForm(data={"text": "x" * Item.MAX_LENGTH}).is_valid())

    def test_refuses_longer_items_with_a_message(self) -> None:
        form = ItemForm(data={"text": "x" * (Item.MAX_LENGTH + 1)})
        self.assertEqual(form.errors["text"], [TOO_LONG_ITEM_ERROR])


class NewListFormTest(TestCase):
    def test_save_creates_new_list_and_item(self) -> None:
        form = NewListForm(data={"text": "do me"})
        self.assertTrue(form.is_valid())
        new_list = form.save(owner=User.objects.create(email="a@b.com"))
        self.assertEqual(List.objects.get(), new_list)
        self.assertEqual(new_list.item_set.get().text, "do me")

    def test_save_keeps_the_owner_if_logged_in(self) -> None:
        user = User.objects.create(email="a@b.com")
        form = NewListForm(data={"text": "do me"})
        form.is_valid()
        self.assertEqual(form.save(owner=user).owner, user)

    def test_save_leaves_anonymous_lists_ownerless(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        form = NewListForm(data={"text": "do me"})
        form.is_valid()
        self.assertIsNone(form.save(owner=AnonymousUser()).owner)


class ExistingListItemFormTest(TestCase):
    def test_validation_for_blank_items(self) -> None:
        form = ExistingListItemForm(for_list=List.objects.create(), data={"text": ""})
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])

    def test_validation_for_duplicate_items(self) -> None:
        mylist = List.objects.create()
        Item.objects.create(list=mylist, text="no twins!")
        form = ExistingListItemForm(for_list=mylist, data={"text": "no twins!"})
        self.assertEqual(form.errors["text"], [DUPLICATE_ITEM_ERROR])

    def test_same_text_in_another_list_is_fine(self) -> None:
        Item.objects.create(list=List.objects.create(), text="twin")
        form = ExistingListItemForm(for_list=List.objects.create(), data={"text": "twin"})
        self.assertTrue(form.is_valid())

    def test_save(self) -> None:
        mylist = List.objects.create()
        form = ExistingListItemForm(for_list=mylist, data={"text": "hi"})
        form.is_valid()
        self.assertEqual(form.save(), Item.objects.get())

    def test_save_of_an_item_added_meanwhile_by_another_request_is_a_duplicate_error(self) -> None:
        mylist = List.objects.create()
        form = ExistingListItemForm(for_list=mylist, data={"text": "at the same time"})
        self.assertTrue(form.is_valid())
        Item.objects.create(list=mylist, text="at the same time")  # the other request wins

        self.assertIsNone(form.save())
        self.assertEqual(form.errors["text"], [DUPLICATE_ITEM_ERROR])
        self.assertEqual(mylist.item_set.count(), 1)


class ShareListFormTest(TestCase):
    def setUp(self) -> None:
        self.owner = User.objects.create(email="edith@example.com")
        self.list = List.objects.create(owner=self.owner)

    def form(self, sharee: str) -> ShareListForm:
        return ShareListForm(for_list=self.list, data={"sharee": sharee})

    def test_shares_with_an_existing_user(self) -> None:
        oni = User.objects.create(email="oni@example.com")
        form = self.form("oni@example.com")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.save(), oni)
        self.assertEqual(list(self.list.shared_with.all()), [oni])

    def test_makes_the_account_of_an_address_nobody_has_used_yet(self) -> None:
        form = self.form("newcomer@example.com")
        self.assertTrue(form.is_valid(), form.errors)
        form.save()
        self.assertEqual(self.list.shared_with.get().email, "newcomer@example.com")

    def test_an_address_differing_only_in_case_is_the_same_account(self) -> None:
        oni = User.objects.create(email="oni@example.com")
        form = self.form("Oni@Example.com")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.save(), oni)
        self.assertEqual(User.objects.count(), 2)

    def test_refuses_what_is_not_an_email_address(self) -> None:
        for bad in [
            "",
            "   ",
            "oni",
            "oni@",
            "<script>alert(1)</script>@example.com",
            "oni@example.com<b>",
            "a" * 250 + "@example.com",
            "a" * 243 + "@example.com",  # 255 characters: one more than an account's
            "lit@[127.0.0.1]",
            "lit@[IPv6:::1]",
            "root@localhost",
            "root@localhost.",
            '"\x1b[2J"@example.com',
        ]:
            with self.subTest(bad=bad[:40]):
                form = self.form(bad)
                self.assertFalse(form.is_valid())
                self.assertEqual(form.errors["sharee"], [SHARE_INVALID_EMAIL_ERROR])

    def test_refuses_sharing_with_the_owner(self) -> None:
        for own in ["edith@example.com", "EDITH@example.com"]:
            with self.subTest(own=own):
                self.assertEqual(self.form(own).errors["sharee"], [SHARE_WITH_YOURSELF_ERROR])

    def test_refuses_sharing_twice_with_the_same_person(self) -> None:
        self.list.shared_with.add(User.objects.create(email="oni@example.com"))
        for again in ["oni@example.com", "ONI@example.com"]:
            with self.subTest(again=again):
                self.assertEqual(self.form(again).errors["sharee"], [ALREADY_SHARED_ERROR])
        self.assertEqual(self.list.shared_with.count(), 1)

    def test_takes_the_longest_address_an_account_can_have(self) -> None:
        longest = "a" * 242 + "@example.com"
        self.assertEqual(len(longest), 254)
        self.assertTrue(self.form(longest).is_valid())

    def test_a_simultaneous_share_with_the_same_address_is_already_shared(self) -> None:
        form = self.form("oni@example.com")
        self.assertTrue(form.is_valid(), form.errors)
        # Another request shares the list with Oni between this one's checks and its save
        self.list.shared_with.add(User.objects.create(email="oni@example.com"))
        self.assertIsNone(form.save())
        self.assertEqual(form.errors["sharee"], [ALREADY_SHARED_ERROR])
        self.assertEqual(self.list.shared_with.count(), 1)

    def test_shows_back_an_address_without_control_characters(self) -> None:
        form = self.form("oni\x00@example.com\u202e")
        self.assertFalse(form.is_valid())
        self.assertEqual(form["sharee"].value(), "oni@example.com")


class HiddenCharactersTest(TestCase):
    """Control and bidirectional-override characters in items and list names
    (sitewide.plain_text says which, and why they are stripped)."""

    def test_are_stripped_from_items_white_space_becoming_a_space(self) -> None:
        form = NewListForm(data={"text": "Buy\x1b[31m milk\u202e\u2066,\teggs\x85and\x00 jam"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["text"], "Buy[31m milk, eggs and jam")

    def test_an_item_of_nothing_else_is_empty(self) -> None:
        form = NewListForm(data={"text": "\x00\u202e"})
        self.assertEqual(form.errors["text"], [EMPTY_ITEM_ERROR])
        self.assertEqual(form["text"].value(), "")

    def test_are_stripped_from_list_names(self) -> None:
        form = RenameListForm(List.objects.create(), data={"name": "\u202eSecret\x1b plans"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["name"], "Secret plans")

    def test_right_to_left_text_and_its_marks_are_kept(self) -> None:
        hebrew = "\u05e7\u05e0\u05d9\u05d5\u05ea \u200f(2)\u200e"
        form = NewListForm(data={"text": hebrew})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["text"], hebrew)

    def test_are_not_shown_back_in_an_invalid_form(self) -> None:
        form = NewListForm(data={"text": "x\x00\u202e" * (Item.MAX_LENGTH + 1)})
        self.assertEqual(form.errors["text"], [TOO_LONG_ITEM_ERROR])
        self.assertEqual(form["text"].value(), "x" * (Item.MAX_LENGTH + 1))

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.authentication import account_for, existing_account_for
from accounts.forms import EmailAddressField
from accounts.models import User
from lists.models import Item, List
from sitewide.plain_text import PlainCharField

EMPTY_ITEM_ERROR = "You can't have an empty list item"
DUPLICATE_ITEM_ERROR = "You've already got this in your list"
TOO_LONG_ITEM_ERROR = f"An item can be at most {Item.MAX_LENGTH:,} characters long"


class ItemForm(forms.Form):
    text = PlainCharField(
        max_length=Item.MAX_LENGTH,
        error_messages={"required": EMPTY_ITEM_ERROR, "max_length": TOO_LONG_ITEM_ERROR},
    )


class NewListForm(ItemForm):
    def save(self, owner: User | AnonymousUser) -> List:
        new_list = List.objects.create(owner=owner if owner.is_authenticated else None)
        Item.objects.create(list=new_list, text=self.cleaned_data["text"])
        return new_list


class ExistingListItemForm(ItemForm):
    def __init__(self, for_list: List, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._for_list = for_list

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        # By the list's id rather than through list.item_set, whose related manager adds a
        # sixth to the cost of this query, made for every item added.
        if Item.objects.filter(list_id=self._for_list.pk, text=text).exists():
            raise ValidationError(DUPLICATE_ITEM_ERROR)
        return text

    def save(self) -> Item | None:
        """Add the item; None, with the duplicate error on the form, if it is there already.

        clean_text() has checked, but a simultaneous request may have added the same text
        since: the database's unique constraint is what decides.
        """
        try:
            with transaction.atomic():
                item = Item.objects.create(list=self._for_list, text=self.cleaned_data["text"])
                self._for_list.touch()
                return item
        except IntegrityError:
            self.add_error("text", DUPLICATE_ITEM_ERROR)
            return None


class EditItemForm(ItemForm):
    """New text for an item, checked as a new item's is: not empty, not already in the list."""

    def __init__(self, item: Item, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(data, initial={"text": item.text})
        self._item = item

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        others = Item.objects.filter(list=self._item.list_id).exclude(pk=self._item.pk)
        if others.filter(text=text).exists():
            raise ValidationError(DUPLICATE_ITEM_ERROR)
        return text

    def save(self) -> bool:
        """Change the text; False if the item was deleted meanwhile (or, with the duplicate
        error on the form, if another request has just given another item this text).

        Two people editing one item at once: the last one to save wins.
        """
        try:
            with transaction.atomic():
                changed = Item.objects.filter(pk=self._item.pk).update(
                    text=self.cleaned_data["text"]
                )
                self._item.list.touch()
        except IntegrityError:
            self.add_error("text", DUPLICATE_ITEM_ERROR)
            return False
        return bool(changed)


EMPTY_LIST_NAME_ERROR = "You can't give a list an empty name"
TOO_LONG_LIST_NAME_ERROR = (
    f"A list's name can be at most {List._meta.get_field('title').max_length} characters long"
)


class RenameListForm(forms.Form):
    name = PlainCharField(
        max_length=List._meta.get_field("title").max_length,
        error_messages={"required": EMPTY_LIST_NAME_ERROR, "max_length": TOO_LONG_LIST_NAME_ERROR},
    )

    def __init__(self, for_list: List, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(data, initial={"name": for_list.name})
        self._for_list = for_list

    def save(self) -> List:
        self._for_list.title = self.cleaned_data["name"]
        self._for_list.updated_at = timezone.now()
        self._for_list.save(update_fields=["title", "updated_at"])
        return self._for_list


SHARE_INVALID_EMAIL_ERROR = "Enter your friend's email address, like your-friend@example.com"
SHARE_WITH_YOURSELF_ERROR = "This is your list already: share it with someone else"
ALREADY_SHARED_ERROR = "This list is already shared with that address"
TOO_MANY_SHARES_ERROR = (
    "Too many emails about shared lists have been sent just now, "
    "please wait a minute and try again."
)


class ShareListForm(forms.Form):
    """The owner's "Share this list" box: one email address, of a new sharee."""

    sharee = EmailAddressField(error=SHARE_INVALID_EMAIL_ERROR)

    def __init__(self, for_list: List, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._for_list = for_list

    def clean_sharee(self) -> str:
        email: str = self.cleaned_data["sharee"]
        if email.lower() == (self._for_list.owner_id or "").lower():
            raise ValidationError(SHARE_WITH_YOURSELF_ERROR)
        account = existing_account_for(email)
        if account is not None and self._for_list.shared_with.filter(pk=account.pk).exists():
            raise ValidationError(ALREADY_SHARED_ERROR)
        return email

    def save(self) -> User | None:
        """Share the list; return the sharee, None (with the error on the form) if a simultaneous
        request shared it with them first.

        The address's account is the one logging in with it would use (``account_for``); someone
        without an account gets one now, so the list is waiting for them when they first log in.
        Only the request whose insert made the share returns the sharee, so of two simultaneous
        shares with one address one is told "already shared", and one email is sent.
        """
        with transaction.atomic():
            sharee = account_for(self.cleaned_data["sharee"])
            _share, created = List.shared_with.through.objects.get_or_create(
                list_id=self._for_list.pk, user_id=sharee.pk
            )
        if not created:
            self.add_error("sharee", ALREADY_SHARED_ERROR)
            return None
        return sharee

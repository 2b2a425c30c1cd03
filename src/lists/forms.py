from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lists.models import Item, List

EMPTY_ITEM_ERROR = "You can't have an empty list item"
DUPLICATE_ITEM_ERROR = "You've already got this in your list"
TOO_LONG_ITEM_ERROR = f"An item can be at most {Item.MAX_LENGTH:,} characters long"


class ItemForm(forms.Form):
    text = forms.CharField(
        max_length=Item.MAX_LENGTH,
        error_messages={"required": EMPTY_ITEM_ERROR, "max_length": TOO_LONG_ITEM_ERROR},
    )


class NewListForm(ItemForm):
    def save(self, owner) -> List:
        new_list = List.objects.create(owner=owner if owner.is_authenticated else None)
        Item.objects.create(list=new_list, text=self.cleaned_data["text"])
        return new_list


class ExistingListItemForm(ItemForm):
    def __init__(self, for_list: List, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._for_list = for_list

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if self._for_list.item_set.filter(text=text).exists():
            raise ValidationError(DUPLICATE_ITEM_ERROR)
        return text

    def save(self) -> Item | None:
        """Add the item; None, with the duplicate error on the form, if it is there already.

        clean_text() has checked, but a simultaneous request may have added the same text
        since: the database's unique constraint is what decides.
        """
        try:
            with transaction.atomic():
                return Item.objects.create(list=self._for_list, text=self.cleaned_data["text"])
        except IntegrityError:
            self.add_error("text", DUPLICATE_ITEM_ERROR)
            return None

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:  # only for annotations: at run time lists need not import accounts
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

KEY_BYTES = 16  # 128 random bits: nobody guesses a list's URL, or its neighbour's
KEY_LENGTH = 22  # characters of URL-safe base64 for KEY_BYTES


def new_list_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


class ListQuerySet(models.QuerySet["List"]):
    def with_names(self) -> "ListQuerySet":
        """Fetch each list's name (its first item) in the same query, not one query per list."""
        first_item = Item.objects.filter(list=models.OuterRef("pk")).order_by("id")
        return self.annotate(first_item_text=models.Subquery(first_item.values("text")[:1]))

    def with_item_counts(self) -> "ListQuerySet":
        """Fetch how many items each list has, and how many are done, in the same query."""
        return self.annotate(
            item_count=models.Count("item"),
            done_count=models.Count("item", filter=models.Q(item__done=True)),
        )

    def visible_to(self, user: "User | AnonymousUser") -> "ListQuerySet":
        """The lists ``user`` may see and add to: lists made without logging in (whoever has
        the link), their own, and those shared with them."""
        anyones = models.Q(owner__isnull=True)
        if not user.is_authenticated:
            return self.filter(anyones)
        return self.filter(anyones | _owned_by_or_shared_with(user))

    def owned_by(self, user: "User | AnonymousUser") -> "ListQuerySet":
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def owned_by_or_shared_with(self, user: "User | AnonymousUser") -> "ListQuerySet":
        return self.filter(_owned_by_or_shared_with(user)) if user.is_authenticated else self.none()


def _owned_by_or_shared_with(user: "User") -> models.Q:
    # A subquery, not a join on the sharees, which would repeat a list once per sharee.
    shared_with_user = List.shared_with.through.objects.filter(user=user).values("list_id")
    return models.Q(owner=user) | models.Q(pk__in=shared_with_user)


class List(models.Model):
    key = models.CharField(max_length=KEY_LENGTH, unique=True, default=new_list_key, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="lists",
        blank=True,
        null=True,
        on_delete=models.CASCADE,
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="shared_lists", blank=True
    )
    # Set by its owner; until then a list is called by its first item, as in the book.
    title = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)
    # Lists made before list URLs became keys keep answering at /lists/<id>/ (a redirect, for
    # whoever may see them); newer ones have no numbered URL at all, so there is none to guess.
    has_numbered_url = models.BooleanField(default=False, editable=False)

    objects = ListQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("view_list", args=[self.key])

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        if hasattr(self, "first_item_text"):
            return self.first_item_text or ""
        first_item = self.item_set.first()
        return first_item.text if first_item else ""

    def touch(self) -> None:
        """Record that the list has just changed (My Lists shows when)."""
        self.updated_at = timezone.now()
        List.objects.filter(pk=self.pk).update(updated_at=self.updated_at)

    def is_shared_with(self, user: "User | AnonymousUser") -> bool:
        return user.is_authenticated and any(
            sharee.pk == user.pk for sharee in self.shared_with.all()
        )


class Item(models.Model):
    MAX_LENGTH = 10_000

    text = models.TextField(default="")
    list = models.ForeignKey(List, default=None, on_delete=models.CASCADE)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["list", "text"], name="unique_item_text_per_list")
        ]

    def __str__(self) -> str:
        return self.text

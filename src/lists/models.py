import functools
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property

if TYPE_CHECKING:  # only for annotations: at run time lists need not import accounts
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

KEY_BYTES = 16  # 128 random bits: nobody guesses a list's URL, or its neighbour's
KEY_LENGTH = 22  # characters of URL-safe base64 for KEY_BYTES


def new_list_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def view_list_url_parts() -> tuple[str, str]:
    """What comes before and after a list's key in its URL (``reverse("view_list", ...)``),
    here and now: for the URLconf and script prefix of the request being answered.

    ``reverse()`` took ~17 µs a URL, and My Lists links to every list; a list's URL is its key
    between a fixed beginning and end (a key is made of URL-safe characters only, so nothing in
    it is quoted), worked out once by ``reverse()`` for each URLconf and script prefix. Reading
    those two is most of the cost that is left (each is a context-local look-up): a page with
    many lists asks once.
    """
    return _view_list_url_parts(get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


ItemUrls = tuple[str, str, str]  # an item's done, edit and delete URLs
ItemUrlSuffixes = tuple[tuple[str, str], ...]
ITEM_ROUTES = ("mark_item", "edit_item", "delete_item")


def item_urls_of(list_url: str, item_id: int, suffixes: ItemUrlSuffixes) -> ItemUrls:
    """An item's done, edit and delete URLs, given its list's URL and ``item_url_suffixes()``."""
    # Written out rather than a loop: it runs for every row of a list's table.
    (done_before, done_after), (edit_before, edit_after), (delete_before, delete_after) = suffixes
    return (
        f"{list_url}{done_before}{item_id}{done_after}",
        f"{list_url}{edit_before}{item_id}{edit_after}",
        f"{list_url}{delete_before}{item_id}{delete_after}",
    )


def item_url_suffixes() -> ItemUrlSuffixes:
    """For each of an item's routes (``ITEM_ROUTES``), what ``reverse()`` puts after its list's
    URL, before and after the item's id, here and now: read once for a whole table of rows, as
    for ``view_list_url_parts``."""
    return _item_url_suffixes(get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


@functools.lru_cache(maxsize=16)
def _item_url_suffixes(urlconf: str, script_prefix: str) -> ItemUrlSuffixes:
    key, item_id = "K" * KEY_LENGTH, "9" * 18
    list_url = reverse("view_list", urlconf=urlconf, args=[key])
    suffixes = []
    for route in ITEM_ROUTES:
        url = reverse(route, urlconf=urlconf, args=[key, int(item_id)])
        assert url.startswith(list_url), f"{route} is not under view_list: {url}"
        before, _, after = url.removeprefix(list_url).partition(item_id)
        suffixes.append((before, after))
    return tuple(suffixes)


@functools.lru_cache(maxsize=16)
def _view_list_url_parts(urlconf: str, script_prefix: str) -> tuple[str, str]:
    # reverse() reads the script prefix itself: it is an argument to tell the answers apart.
    placeholder = "K" * KEY_LENGTH
    url = reverse("view_list", urlconf=urlconf, args=[placeholder])
    before, _, after = url.partition(placeholder)
    return before, after


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
        the link), their own, and those shared with them. (``List.is_visible_to`` is the same
        rule for one list.)"""
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
        """``reverse("view_list", args=[self.key])``, for a fraction of its cost."""
        before, after = view_list_url_parts()
        return f"{before}{self.key}{after}"

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

    @cached_property
    def sharees(self) -> list["User"]:
        """Who the list is shared with, by email address: asked of the database once for this
        object (the list page checks a sharee's access with them, then shows them)."""
        return list(self.shared_with.order_by("email"))

    def is_shared_with(self, user: "User | AnonymousUser") -> bool:
        return user.is_authenticated and any(sharee.pk == user.pk for sharee in self.sharees)

    def is_visible_to(self, user: "User | AnonymousUser") -> bool:
        """Whether ``user`` may see and add to this list: ``ListQuerySet.visible_to``'s rule,
        for a list already fetched. A list made without logging in is anyone's who has its
        link; any other, its owner's and its sharees' only."""
        if self.owner_id is None:
            return True
        if not user.is_authenticated:
            return False
        return self.owner_id == user.pk or self.is_shared_with(user)


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

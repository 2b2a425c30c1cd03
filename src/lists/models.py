from django.conf import settings
from django.db import models
from django.urls import reverse


class ListQuerySet(models.QuerySet):
    def with_names(self) -> "ListQuerySet":
        """Fetch each list's name (its first item) in the same query, not one query per list."""
        first_item = Item.objects.filter(list=models.OuterRef("pk")).order_by("id")
        return self.annotate(first_item_text=models.Subquery(first_item.values("text")[:1]))


class List(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="lists",
        blank=True,
        null=True,
        on_delete=models.CASCADE,
    )

    objects = ListQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("view_list", args=[self.id])

    @property
    def name(self) -> str:
        if hasattr(self, "first_item_text"):
            return self.first_item_text or ""
        first_item = self.item_set.first()
        return first_item.text if first_item else ""


class Item(models.Model):
    MAX_LENGTH = 10_000

    text = models.TextField(default="")
    list = models.ForeignKey(List, default=None, on_delete=models.CASCADE)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["list", "text"], name="unique_item_text_per_list")
        ]

    def __str__(self) -> str:
        return self.text

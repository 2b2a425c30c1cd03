from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def numbered_rows(item_texts: Iterable[str]) -> SafeString:
    """The list table's rows, "1: Buy peacock feathers", each text escaped.

    The same as a {% for %} loop over the items, at less than half the cost of the whole page
    (the loop's per-row variable lookups were most of it, as the benchmark's profile showed).
    """
    return format_html_join("\n", "<tr><td>{}: {}</td></tr>", enumerate(item_texts, start=1))

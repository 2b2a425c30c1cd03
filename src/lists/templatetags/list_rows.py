"""The list table's rows (item_row.html; with the speed layer on, speedups.rows, the same bytes
in an f-string) and My Lists' entries, built in Python: the page's cost grows with them."""

import html
from collections.abc import Sequence

from django import template
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lists.forms import EditItemForm
from lists.models import (
    ItemUrls,
    List,
    item_url_suffixes,
    item_urls_of,
    view_list_url_parts,
)
from speedups import rows as rows_in_python

register = template.Library()

ItemRow = tuple[int, str, bool]  # id, text, done


def template_row(
    item_id: int, text: str, done: bool, number: int, urls: ItemUrls, csrf_token: object
) -> str:
    """One row of the book's table, from item_row.html. Its text is "1: Buy peacock feathers" and
    nothing else (the book's FTs compare it whole), so the buttons show CSS icons and are named by
    aria-label."""
    context = {
        "item_id": item_id,
        "text": text,
        "done": done,
        "number": number,
        "done_url": urls[0],
        "edit_url": urls[1],
        "delete_url": urls[2],
        "csrf_token": csrf_token,
    }
    return get_template("item_row.html").render(context).strip()


@register.simple_tag(takes_context=True)
def item_rows(
    context: template.Context,
    items: Sequence[ItemRow],
    list_url: str,
    editing: int | None = None,
    edit_form: EditItemForm | None = None,
) -> SafeString:
    """Each item's row: a done button (``aria-pressed``), its number and text, edit and delete.

    The row of the item being edited (``editing``) is its form instead. Every text is escaped;
    the ids are integers and the list's URL is made of URL-safe characters only.
    """
    csrf_token = context["csrf_token"]
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
    suffixes = item_url_suffixes()
    rows: list[str] = []
    for number, (item_id, text, done) in enumerate(items, start=1):
        urls = item_urls_of(list_url, item_id, suffixes)
        if item_id == editing:
            rows.append(
                render_to_string(
                    "item_edit_row.html",
                    {
                        "item_id": item_id,
                        "number": number,
                        "form": edit_form,
                        "list_url": list_url,
                        "edit_url": urls[1],
                    },
                    request=context.get("request"),
                )
            )
        elif settings.SPEEDUPS:
            escaped = html.escape(text)
            rows.append(rows_in_python.row(item_id, escaped, done, number, urls, csrf))
        else:
            rows.append(template_row(item_id, text, done, number, urls, csrf_token))
    return mark_safe("\n".join(rows))


@register.simple_tag
def my_list_entries(lists: Sequence[List], empty: str, shared: bool = False) -> SafeString:
    """My Lists' entries: each list's name (linked), whose it is if shared, how many items and
    how many done, and its last change. Built here rather than by template tags for the same
    reason as the list rows: per list, a template's lookups and filters cost more than the
    page's queries."""
    if not lists:
        return format_html("<li>{}</li>", empty)
    zone = timezone.get_current_timezone()
    # Each list's URL is its key between these (List.get_absolute_url), worked out once here.
    url_before_key, url_after_key = view_list_url_parts()
    entries = []
    for each in lists:
        item_count: int = getattr(each, "item_count", 0)
        whose = f" ({html.escape(each.owner_id or '')}'s list)" if shared else ""
        updated_at = each.updated_at.astimezone(zone)
        entries.append(
            f'<li class="my-list mb-2"><a href="{url_before_key}{each.key}{url_after_key}">'
            f"{html.escape(each.name)}</a>{whose}"
            f'<div class="small text-body-secondary">{item_count} '
            f"item{'' if item_count == 1 else 's'}, {getattr(each, 'done_count', 0)} done · "
            f'changed <time datetime="{each.updated_at.isoformat()}">'
            f"{updated_at.strftime('%d %b %Y, %H:%M %Z')}</time></div></li>"
        )
    return mark_safe("\n".join(entries))

"""The list table's rows, built in Python: the page's cost grows with them (see bench/)."""

import html
from collections.abc import Sequence

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lists.forms import EditItemForm
from lists.models import List, view_list_url_parts

register = template.Library()

ItemRow = tuple[int, str, bool]  # id, text, done


def row(item_id: int, text: str, done: bool, number: int, list_url: str, csrf_input: str) -> str:
    """One row of the book's table: its text is "1: Buy peacock feathers" and nothing else (the
    book's FTs compare it whole), so the buttons show CSS icons and are named by aria-label.

    An f-string rather than a template or ``str.format``: with three forms a row, rows are most
    of a long list's page, and this takes 2 µs a row where ``str.format`` took 8. ``text`` must
    be escaped already; the ids and numbers are integers, the list's URL is URL-safe.
    """
    done_class, next_done, pressed = (" item-done", "0", "true") if done else ("", "1", "false")
    return (
        f'<tr id="id_item_{item_id}" class="item{done_class}">'
        f'<td class="item-check"><form method="POST" action="{list_url}items/{item_id}/done">'
        f'{csrf_input}<input type="hidden" name="done" value="{next_done}">'
        f'<button type="submit" id="id_done_{item_id}" class="btn btn-sm icon-button icon-done" '
        f'aria-pressed="{pressed}" aria-label="Done: {text}" title="Done"></button></form></td>'
        f'<td class="item-text">{number}: {text}</td>'
        f'<td class="item-actions"><a id="id_edit_{item_id}" '
        f'class="btn btn-sm icon-button icon-edit" href="{list_url}items/{item_id}/edit" '
        f'aria-label="Edit: {text}" title="Edit"></a>'
        f'<form method="POST" action="{list_url}items/{item_id}/delete">{csrf_input}'
        f'<button type="submit" id="id_delete_{item_id}" '
        f'class="btn btn-sm icon-button icon-delete" '
        f'aria-label="Delete: {text}" title="Delete"></button></form></td></tr>'
    )


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
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{context["csrf_token"]}">'
    rows: list[str] = []
    for number, (item_id, text, done) in enumerate(items, start=1):
        if item_id == editing:
            rows.append(
                render_to_string(
                    "item_edit_row.html",
                    {"item_id": item_id, "number": number, "form": edit_form, "list_url": list_url},
                    request=context.get("request"),
                )
            )
            continue
        rows.append(row(item_id, html.escape(text), done, number, list_url, csrf))
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

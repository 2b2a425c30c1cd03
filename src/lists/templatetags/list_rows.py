"""The list table's rows, built in Python: the page's cost grows with them (see bench/)."""

from collections.abc import Sequence

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from lists.forms import EditItemForm
from lists.models import List

register = template.Library()

ItemRow = tuple[int, str, bool]  # id, text, done

# One row of the book's table: its text is "1: Buy peacock feathers" and nothing else (the
# book's FTs compare it whole), so the buttons show CSS icons and are named by aria-label.
ROW = """<tr id="id_item_{id}" class="item{done_class}">\
<td class="item-check"><form method="POST" action="{base}items/{id}/done">{csrf}\
<input type="hidden" name="done" value="{next_done}">\
<button type="submit" id="id_done_{id}" class="btn btn-sm icon-button icon-done" \
aria-pressed="{pressed}" aria-label="Done: {text}" title="Done"></button></form></td>\
<td class="item-text">{number}: {text}</td>\
<td class="item-actions"><a id="id_edit_{id}" class="btn btn-sm icon-button icon-edit" \
href="{base}items/{id}/edit" aria-label="Edit: {text}" title="Edit"></a>\
<form method="POST" action="{base}items/{id}/delete">{csrf}\
<button type="submit" id="id_delete_{id}" class="btn btn-sm icon-button icon-delete" \
aria-label="Delete: {text}" title="Delete"></button></form></td></tr>"""


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
        rows.append(
            ROW.format(
                id=item_id,
                base=list_url,
                csrf=csrf,
                text=escape(text),
                number=number,
                done_class=" item-done" if done else "",
                next_done="0" if done else "1",
                pressed="true" if done else "false",
            )
        )
    return mark_safe("\n".join(rows))


# One list on My Lists: its name (linked), whose it is if shared, its counts and last change.
MY_LIST = """<li class="my-list mb-2"><a href="{url}">{name}</a>{whose}\
<div class="small text-body-secondary">{items} item{items_plural}, {done} done · \
changed <time datetime="{iso}">{when}</time></div></li>"""


@register.simple_tag
def my_list_entries(lists: Sequence[List], empty: str, shared: bool = False) -> SafeString:
    """My Lists' entries, built here rather than by template tags for the same reason as the
    list rows: per list, a template's lookups and filters cost more than the page's queries."""
    if not lists:
        return format_html("<li>{}</li>", empty)
    entries = []
    for each in lists:
        item_count: int = getattr(each, "item_count", 0)
        entries.append(
            MY_LIST.format(
                url=each.get_absolute_url(),
                name=escape(each.name),
                whose=f" ({escape(each.owner_id)}'s list)" if shared else "",
                items=item_count,
                items_plural="" if item_count == 1 else "s",
                done=getattr(each, "done_count", 0),
                iso=each.updated_at.isoformat(),
                when=timezone.localtime(each.updated_at).strftime("%d %b %Y, %H:%M %Z"),
            )
        )
    return mark_safe("\n".join(entries))

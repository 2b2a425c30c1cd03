"""The list table's rows as an f-string: the same bytes as lists/templates/item_row.html."""

from lists.models import ItemUrls


def row(item_id: int, text: str, done: bool, number: int, urls: ItemUrls, csrf_input: str) -> str:
    """One row of the book's table: its text is "1: Buy peacock feathers" and nothing else (the
    book's FTs compare it whole), so the buttons show CSS icons and are named by aria-label.

    An f-string rather than a template or ``str.format``: with three forms a row, rows are most
    of a long list's page, and this takes 2 µs a row where ``str.format`` took 8. ``text`` must
    be escaped already; the ids and numbers are integers, the URLs (``lists.models.item_urls_of``)
    are URL-safe.
    """
    done_url, edit_url, delete_url = urls
    done_class, next_done, pressed = (" item-done", "0", "true") if done else ("", "1", "false")
    return (
        f'<tr id="id_item_{item_id}" class="item{done_class}">'
        f'<td class="item-check"><form method="POST" action="{done_url}">'
        f'{csrf_input}<input type="hidden" name="done" value="{next_done}">'
        f'<button type="submit" id="id_done_{item_id}" class="btn btn-sm icon-button icon-done" '
        f'aria-pressed="{pressed}" aria-label="Done: {text}" title="Done"></button></form></td>'
        f'<td class="item-text">{number}: {text}</td>'
        f'<td class="item-actions"><a id="id_edit_{item_id}" '
        f'class="btn btn-sm icon-button icon-edit" href="{edit_url}" '
        f'aria-label="Edit: {text}" title="Edit"></a>'
        f'<form method="POST" action="{delete_url}">{csrf_input}'
        f'<button type="submit" id="id_delete_{item_id}" '
        f'class="btn btn-sm icon-button icon-delete" '
        f'aria-label="Delete: {text}" title="Delete"></button></form></td></tr>'
    )

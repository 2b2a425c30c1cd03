"""``{% quote_the_reference %}``: the sentence an error page ends with, giving the reference of
the request being answered (``observability.request_ids``).

It reads the request ID from its context variable, not from the template's context: Django
renders the 500 and 400 pages without a request in their context.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from observability.request_ids import QUOTE_THE_REFERENCE, reference

register = template.Library()


@register.simple_tag
def quote_the_reference() -> SafeString:
    sentence = format_html(
        QUOTE_THE_REFERENCE,
        reference=format_html('<strong id="id_request_reference">{}</strong>', reference()),
    )
    return format_html('<p class="mt-3">{}</p>', sentence)

"""Text people type, without the invisible characters that can disguise it.

Stripped from items, list names and every value a form shows back:

- control characters (Unicode category Cc: C0 ``U+0000``–``U+001F``, DEL, C1 ``U+0080``–``U+009F``
  such as NEL): nobody can type them in a one-line box, a terminal runs ESC sequences when an
  operator reads them in a log or a dump, and NUL breaks PostgreSQL. Those that are white space
  (tab, newline, NEL…) become a space rather than gluing two words together;
- bidirectional embeddings, overrides and isolates (``U+202A``–``U+202E``, ``U+2066``–``U+2069``):
  an unclosed RIGHT-TO-LEFT OVERRIDE reverses the text after it on screen, beyond the item, in
  a page or a message ("Deleted the list …"), so that what is shown is not what is stored.

Stripped rather than refused: they come unseen (pasted from a web page or a document) and a
person cannot find or remove what they cannot see. Kept: the bidirectional *marks* (LRM, RLM,
ALM), which reorder nothing but the punctuation next to them and which right-to-left writing
needs, and every other character.
"""

import re
from typing import Any

from django import forms

# Unicode's control characters (category Cc) are exactly C0, DEL and C1.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """``text`` without control or bidirectional-override characters (a space for white space)."""
    return _HIDDEN.sub(lambda match: " " if match[0].isspace() else "", text)


def has_hidden_characters(text: str) -> bool:
    return _HIDDEN.search(text) is not None


class ShowsBackPlainMixin:
    """A form field that shows back, in an invalid form, only the ``plain`` text of what was sent:
    Django would write a refused NUL or an override into the page as it came."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        bound = super().bound_data(data, initial)  # type: ignore[misc]
        return plain(bound) if isinstance(bound, str) else bound


class PlainCharField(ShowsBackPlainMixin, forms.CharField):
    """Text whose value is ``plain``: control and override characters are stripped."""

    def to_python(self, value: Any) -> str | None:
        return super().to_python(plain(value) if isinstance(value, str) else value)

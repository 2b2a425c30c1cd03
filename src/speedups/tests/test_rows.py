import html

from django.test import SimpleTestCase, override_settings

from lists.templatetags.list_rows import template_row
from speedups.rows import row

TOKEN = "t" * 64
CSRF_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">'
LIST_URL = "/lists/abcdefghijklmnopqrstuv/"
URLS = (f"{LIST_URL}items/7/done", f"{LIST_URL}items/7/edit", f"{LIST_URL}items/7/delete")


class RowsParityTest(SimpleTestCase):
    """speedups.rows writes the same bytes as item_row.html, the template it stands in for."""

    @override_settings(SPEEDUPS=False)
    def test_the_same_bytes_as_the_template(self) -> None:
        for done in (False, True):
            for text in ("Buy peacock feathers", "<b>\"Tom's\" & Jerry's</b>"):
                with self.subTest(done=done, text=text):
                    self.assertEqual(
                        row(7, html.escape(text), done, 3, URLS, CSRF_INPUT),
                        template_row(7, text, done, 3, URLS, TOKEN),
                    )

"""The load test's own checks, without servers: the audit must catch what it is there to catch."""

import unittest

from bench.loadtest.item_audit import ItemWrites, audit
from bench.loadtest.visitor import rows_on
from bench.web_client import Page

# Two rows as src/lists/templatetags/list_rows.py's ROW makes them (CSRF token shortened).
ROWS = """\
<tr id="id_item_12" class="item item-done"><td class="item-check"><form method="POST" \
action="/lists/k/items/12/done"><input type="hidden" name="csrfmiddlewaretoken" value="t">\
<input type="hidden" name="done" value="0"><button type="submit" id="id_done_12" \
class="btn btn-sm icon-button icon-done" aria-pressed="true" aria-label="Done: Fish &amp; chips" \
title="Done"></button></form></td><td class="item-text">1: Fish &amp; chips</td>\
<td class="item-actions"></td></tr>
<tr id="id_item_15" class="item"><td class="item-check"></td>\
<td class="item-text">2: &lt;b&gt;peacock&lt;/b&gt; feathers</td><td class="item-actions"></td></tr>
"""


def page(body: str) -> Page:
    return Page("", 200, "", body, 0.0)


class RowsOnTest(unittest.TestCase):
    def test_reads_each_rows_id_text_and_done_state(self):
        self.assertEqual(
            rows_on(page(ROWS)),
            [(12, "Fish & chips", True), (15, "<b>peacock</b> feathers", False)],
        )

    def test_a_row_it_cannot_read_is_an_error_not_a_lost_item(self):
        with self.assertRaisesRegex(RuntimeError, "update it to match"):
            rows_on(page('<tr id="id_item_3" class="item"><td>1: Buy milk</td></tr>'))


class AuditTest(unittest.TestCase):
    def test_one_writer_the_item_shows_exactly_their_last_write(self):
        writes = {1: ItemWrites("buy milk", texts={"owner": "buy oat milk"}, dones={"owner": True})}
        self.assertEqual(audit(writes, [(1, "buy oat milk", True)]), [])
        self.assertEqual(len(audit(writes, [(1, "buy milk", True)])), 1)  # an edit lost
        self.assertEqual(len(audit(writes, [(1, "buy oat milk", False)])), 1)  # a tick lost

    def test_an_item_nobody_wrote_to_stays_as_added(self):
        writes = {1: ItemWrites("buy milk")}
        self.assertEqual(audit(writes, [(1, "buy milk", False)]), [])
        self.assertEqual(len(audit(writes, [(1, "buy milk", True)])), 1)

    def test_two_writers_either_last_write_may_win_but_nothing_older(self):
        both_edited = {"owner": "owner: 9", "sharee": "sharee: 9"}
        writes = {1: ItemWrites("contested", texts=both_edited, dones={"owner": True})}
        self.assertEqual(audit(writes, [(1, "owner: 9", True)]), [])
        self.assertEqual(audit(writes, [(1, "sharee: 9", True)]), [])
        [wrong] = audit(writes, [(1, "contested", True)])
        self.assertIn("not 'owner: 9' or 'sharee: 9'", wrong)

    def test_deleted_items_must_be_gone_and_the_others_there(self):
        writes = {1: ItemWrites("deleted", deleted=True), 2: ItemWrites("kept")}
        self.assertEqual(audit(writes, [(2, "kept", False)]), [])
        [wrong] = audit(writes, [(1, "deleted", False), (2, "kept", False)])
        self.assertIn("yet still there", wrong)
        self.assertIn("nobody deleted it", audit(writes, [])[0])

    def test_an_item_nobody_added_is_wrong(self):
        self.assertIn("nobody added it", audit({}, [(7, "from nowhere", False)])[0])

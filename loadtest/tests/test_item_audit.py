"""The load test's own checks, without servers: the audit must catch what it is there to catch,
and no more: a write that got no acknowledgement may or may not have been applied."""

import unittest

from loadtest.item_audit import Audit, ItemWrites, audit, check_adds
from loadtest.visitor import rows_on
from sitekit.web_client import Page

# Two rows as src/lists/templates/item_row.html and src/speedups/rows.py make them (CSRF token
# shortened).
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


def findings(result: Audit) -> list[str]:
    return result.lost + result.duplicated + result.wrong


class AuditTest(unittest.TestCase):
    def test_one_writer_the_item_shows_exactly_their_last_write(self):
        writes = {1: ItemWrites("buy milk", texts={"owner": "buy oat milk"}, dones={"owner": True})}
        self.assertEqual(findings(audit(writes, [(1, "buy oat milk", True)])), [])
        self.assertEqual(len(findings(audit(writes, [(1, "buy milk", True)]))), 1)  # edit lost
        self.assertEqual(len(findings(audit(writes, [(1, "buy oat milk", False)]))), 1)  # tick

    def test_an_item_nobody_wrote_to_stays_as_added(self):
        writes = {1: ItemWrites("buy milk")}
        self.assertEqual(findings(audit(writes, [(1, "buy milk", False)])), [])
        self.assertEqual(len(findings(audit(writes, [(1, "buy milk", True)]))), 1)

    def test_two_writers_either_last_write_may_win_but_nothing_older(self):
        both_edited = {"owner": "owner: 9", "sharee": "sharee: 9"}
        writes = {1: ItemWrites("contested", texts=both_edited, dones={"owner": True})}
        self.assertEqual(findings(audit(writes, [(1, "owner: 9", True)])), [])
        self.assertEqual(findings(audit(writes, [(1, "sharee: 9", True)])), [])
        [wrong] = audit(writes, [(1, "contested", True)]).wrong
        self.assertIn("not 'owner: 9' or 'sharee: 9'", wrong)

    def test_deleted_items_must_be_gone_and_the_others_there(self):
        writes = {1: ItemWrites("deleted", deleted=True), 2: ItemWrites("kept")}
        self.assertEqual(findings(audit(writes, [(2, "kept", False)])), [])
        [wrong] = audit(writes, [(1, "deleted", False), (2, "kept", False)]).wrong
        self.assertIn("yet still there", wrong)
        [lost] = audit(writes, []).lost
        self.assertIn("'kept': gone, though nobody deleted it", lost)

    def test_an_item_nobody_added_is_wrong(self):
        [wrong] = audit({}, [(7, "from nowhere", False)]).wrong
        self.assertIn("'from nowhere' in the list: nobody added it", wrong)


class UnacknowledgedWritesTest(unittest.TestCase):
    """A write that got no acknowledgement may or may not have been applied, even late."""

    def test_an_edit_or_tick_in_doubt_may_show_or_not(self):
        writes = {
            1: ItemWrites(
                "milk",
                texts={"owner": "oat milk"},
                texts_in_doubt={"soy milk"},
                dones_in_doubt={True},
            )
        }
        for row in [(1, "oat milk", False), (1, "soy milk", False), (1, "soy milk", True)]:
            with self.subTest(row=row):
                self.assertEqual(findings(audit(writes, [row])), [])
        # Still nothing that nobody wrote, nor an older write.
        self.assertEqual(len(audit(writes, [(1, "milk", False)]).wrong), 1)

    def test_a_delete_in_doubt_may_have_happened_or_not(self):
        writes = {1: ItemWrites("milk", maybe_deleted=True)}
        self.assertEqual(findings(audit(writes, [])), [])
        self.assertEqual(findings(audit(writes, [(1, "milk", False)])), [])
        self.assertEqual(len(audit(writes, [(1, "milk", True)]).wrong), 1)  # nobody ticked it

    def test_an_acknowledged_add_whose_id_never_came_must_be_there_once(self):
        self.assertEqual(findings(audit({}, [(5, "owner: item 3", False)], ["owner: item 3"])), [])
        [lost] = audit({}, [], ["owner: item 3"]).lost
        self.assertIn("'owner: item 3'", lost)
        twice = [(5, "owner: item 3", False), (6, "owner: item 3", False)]
        self.assertEqual(len(audit({}, twice, ["owner: item 3"]).duplicated), 1)

    def test_an_unacknowledged_add_is_neither_lost_if_absent_nor_duplicated_if_there_once(self):
        absent = audit({}, [], added_unacknowledged=["owner: item 4"])
        self.assertEqual(findings(absent), [])
        self.assertEqual((absent.unacknowledged_kept, absent.unacknowledged_absent), (0, 1))
        there = audit({}, [(8, "owner: item 4", False)], added_unacknowledged=["owner: item 4"])
        self.assertEqual(findings(there), [])
        self.assertEqual((there.unacknowledged_kept, there.unacknowledged_absent), (1, 0))
        twice = [(8, "owner: item 4", False), (9, "owner: item 4", False)]
        self.assertEqual(
            len(audit({}, twice, added_unacknowledged=["owner: item 4"]).duplicated), 1
        )

    def test_an_item_whose_id_nobody_knew_cannot_have_been_ticked(self):
        rows = [(8, "owner: item 4", True)]
        [wrong] = audit({}, rows, added_unacknowledged=["owner: item 4"]).wrong
        self.assertIn("done, though nobody knew its id", wrong)


class CheckAddsTest(unittest.TestCase):
    """The anonymous visitors' lists, by item text."""

    def test_every_acknowledged_item_there_exactly_once(self):
        self.assertEqual(findings(check_adds("/lists/a/", ["a", "b"], [], ["a", "b"])), [])
        missing = check_adds("/lists/a/", ["a", "b"], [], ["a"])
        self.assertEqual(missing.lost, ["'b' in /lists/a/"])
        twice = check_adds("/lists/a/", ["a", "b"], [], ["a", "b", "b"])
        self.assertEqual(twice.duplicated, ["'b' x2 in /lists/a/"])

    def test_unacknowledged_items_at_most_once_and_counted(self):
        result = check_adds("/lists/a/", ["a"], ["b", "c"], ["a", "b"])
        self.assertEqual(findings(result), [])
        self.assertEqual((result.unacknowledged_kept, result.unacknowledged_absent), (1, 1))
        twice = check_adds("/lists/a/", ["a"], ["b"], ["a", "b", "b"])
        self.assertEqual(twice.duplicated, ["'b' (unacknowledged) x2 in /lists/a/"])

    def test_an_item_nobody_sent_is_wrong(self):
        result = check_adds("/lists/a/", ["a"], [], ["a", "z"])
        self.assertEqual(result.wrong, ["'z' in /lists/a/: nobody added it"])

    def test_audits_add_up(self):
        total = Audit()
        total.include(check_adds("/lists/a/", ["a"], ["b"], ["b"]))
        total.include(check_adds("/lists/c/", ["c"], [], ["c", "c"]))
        self.assertEqual((len(total.lost), len(total.duplicated)), (1, 1))
        self.assertEqual(total.unacknowledged_kept, 1)

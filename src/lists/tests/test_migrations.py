from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django.test import TransactionTestCase

BEFORE_KEYS = [("lists", "0001_initial"), ("accounts", "0002_hashed_expiring_tokens")]
WITH_KEYS = [("lists", "0002_list_keys_and_sharing")]


class ListKeysMigrationTest(TransactionTestCase):
    """Lists made before keys get one each, keep their items and owner, and their numbered URL."""

    def migrate(self, targets: list[tuple[str, str]]) -> StateApps:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self) -> None:
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def test_existing_lists_get_distinct_keys_and_lose_nothing(self) -> None:
        old_apps = self.migrate(BEFORE_KEYS)
        user = old_apps.get_model("accounts", "User").objects.create(email="edith@example.com")
        OldList = old_apps.get_model("lists", "List")
        OldItem = old_apps.get_model("lists", "Item")
        old_ids = []
        for number in range(3):
            old_list = OldList.objects.create(owner=user if number else None)
            OldItem.objects.create(list=old_list, text=f"item of list {number}")
            old_ids.append(old_list.id)

        new_apps = self.migrate(WITH_KEYS)
        NewList = new_apps.get_model("lists", "List")
        migrated = list(NewList.objects.order_by("id"))
        self.assertEqual([each.id for each in migrated], old_ids)
        self.assertEqual(len({each.key for each in migrated}), 3)
        for number, each in enumerate(migrated):
            self.assertRegex(each.key, r"\A[A-Za-z0-9_-]{22}\Z")
            self.assertTrue(each.has_numbered_url)
            self.assertEqual(each.owner_id, "edith@example.com" if number else None)
            self.assertEqual(
                list(each.item_set.values_list("text", flat=True)), [f"item of list {number}"]
            )

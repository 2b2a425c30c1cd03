"""Lists get a random key for their URL, and sharees.

Adding a unique column with a callable default would give every existing row the same value,
so the key is added nullable, filled row by row, then made unique and required. Existing lists
keep their old numbered URL (as a redirect); new ones never have one.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

import lists.models


def give_existing_lists_keys(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    List = apps.get_model("lists", "List")
    for existing in List.objects.filter(key__isnull=True).only("pk"):
        existing.key = lists.models.new_list_key()
        existing.has_numbered_url = True
        existing.save(update_fields=["key", "has_numbered_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("lists", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="list",
            name="key",
            field=models.CharField(editable=False, max_length=22, null=True),
        ),
        migrations.AddField(
            model_name="list",
            name="has_numbered_url",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(give_existing_lists_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="list",
            name="key",
            field=models.CharField(
                default=lists.models.new_list_key, editable=False, max_length=22, unique=True
            ),
        ),
        migrations.AddField(
            model_name="list",
            name="shared_with",
            field=models.ManyToManyField(
                blank=True, related_name="shared_lists", to=settings.AUTH_USER_MODEL
            ),
        ),
    ]

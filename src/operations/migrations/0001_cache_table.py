"""Create the database cache's table with the other tables, so that `migrate` is the only step
a server needs (Django otherwise wants a separate `createcachetable`).

It was the ``superlists`` package's own migration until that package became configuration
only. A database that ran it there has the table already, and ``createcachetable`` leaves an
existing table alone, so running it again here changes nothing."""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Replace the uuid tokens with hashed, expiring, single-use ones.

    The old tokens are dropped rather than converted: they never expired, so any of them could
    still log someone in, and their uids cannot be turned into selector + verifier pairs.
    """

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="Token"),
        migrations.CreateModel(
            name="Token",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(db_index=True, max_length=254)),
                ("selector", models.CharField(max_length=16, unique=True)),
                ("verifier_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("used_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
    ]

from django.apps import AppConfig
from django.db.models.signals import pre_migrate


class SuperlistsConfig(AppConfig):
    name = "superlists"

    def ready(self) -> None:
        from superlists import checks  # noqa: F401  (registers the system checks)
        from superlists.production_guard import refuse_unapplying_migrations

        pre_migrate.connect(refuse_unapplying_migrations, dispatch_uid="refuse_unapplying")

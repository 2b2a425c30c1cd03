from django.apps import AppConfig
from django.db.models.signals import pre_migrate


class OperationsConfig(AppConfig):
    """Running a server: backups, /healthz, server_info, the system checks, the guard on bulk
    deletes, the database cache's table."""

    name = "operations"

    def ready(self) -> None:
        from operations import checks  # noqa: F401  (registers the system checks)
        from operations.production_guard import refuse_unapplying_migrations

        pre_migrate.connect(refuse_unapplying_migrations, dispatch_uid="refuse_unapplying")

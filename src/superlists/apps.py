from django.apps import AppConfig


class SuperlistsConfig(AppConfig):
    name = "superlists"

    def ready(self) -> None:
        from superlists import checks  # noqa: F401  (registers the system checks)

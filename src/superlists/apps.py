from django.apps import AppConfig


class SuperlistsConfig(AppConfig):
    """The project's configuration, an app only for its migration (the cache table)."""

    name = "superlists"

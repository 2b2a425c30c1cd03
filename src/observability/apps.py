from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    """What the server tells its operator: request IDs, the request log and its formats, error
    reports, metrics, and the one rule for what our proxy's headers are believed."""

    name = "observability"

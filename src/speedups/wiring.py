"""The speed layer's one entry in the settings: Django's pieces swapped for ours, in place."""

from typing import Any

# Django's (or django-csp's) dotted path -> the speed layer's, for each setting the layer touches.
MIDDLEWARE = {"csp.middleware.CSPMiddleware": "speedups.csp.ContentSecurityPolicyMiddleware"}
TEMPLATE_BUILTINS = {"django.templatetags.static": "speedups.remembering"}
# Added after Django's always-on csrf processor: a later processor's csrf_token wins.
CONTEXT_PROCESSOR = "speedups.csrf.csrf"


def speed_up(middleware: list[str], templates: list[dict[str, Any]]) -> None:
    """Put the speed layer into the settings' MIDDLEWARE and TEMPLATES, each piece in the place
    of the Django code it replaces. A piece whose Django original is missing is an error: the
    layer would otherwise be silently half on."""
    for django_path, ours in MIDDLEWARE.items():
        middleware[middleware.index(django_path)] = ours
    (django_templates,) = (
        each for each in templates if each["BACKEND"].endswith(".DjangoTemplates")
    )
    options = django_templates["OPTIONS"]
    builtins: list[str] = options["builtins"]
    for django_path, ours in TEMPLATE_BUILTINS.items():
        builtins[builtins.index(django_path)] = ours
    options["context_processors"].append(CONTEXT_PROCESSOR)

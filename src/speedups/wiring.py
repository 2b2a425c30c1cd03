"""The speed layer's one entry in the settings: Django's pieces swapped for ours, in place."""

from typing import Any

# Django's dotted path -> the speed layer's, for each setting the layer touches.
TEMPLATE_BUILTINS = {"django.templatetags.static": "speedups.remembering"}
# Added after Django's always-on csrf processor: a later processor's csrf_token wins.
CONTEXT_PROCESSOR = "speedups.csrf.csrf"


def speed_up(templates: list[dict[str, Any]]) -> None:
    """Put the speed layer into the settings' TEMPLATES, each piece in the place of the Django
    code it replaces. A piece whose Django original is missing is an error: the layer would
    otherwise be silently half on."""
    (django_templates,) = (
        each for each in templates if each["BACKEND"].endswith(".DjangoTemplates")
    )
    options = django_templates["OPTIONS"]
    builtins: list[str] = options["builtins"]
    for django_path, ours in TEMPLATE_BUILTINS.items():
        builtins[builtins.index(django_path)] = ours
    options["context_processors"].append(CONTEXT_PROCESSOR)

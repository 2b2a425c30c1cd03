"""Reading settings from the environment: one parser for yes/no values, used by the settings
and by the functional tests alike."""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_flag(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """``name`` as a yes/no value: 1/true/yes/on or 0/false/no/off, in any case; unset or
    empty, ``default``. Anything else is an error naming the variable, not a guess."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} must be yes or no: one of {', '.join(sorted(TRUE_WORDS))} "
        f"or {', '.join(sorted(FALSE_WORDS))}."
    )

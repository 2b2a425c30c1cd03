"""WSGI entry point, served by gunicorn as ``superlists.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superlists.settings")

application = get_wsgi_application()

from operations.checks import log_configuration_warnings  # noqa: E402  (needs Django set up)

log_configuration_warnings()

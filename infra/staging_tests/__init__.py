"""Tests that need the stand-in hosts up and deployed (scripts/test-staging runs them).

They import the app's own messages and FT helpers (importable through the venv's
superlists-project.pth), so Django is set up with the development settings; nothing here uses a
local database.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superlists.settings")
django.setup()

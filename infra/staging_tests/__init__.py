"""Tests that need the stand-in hosts up and deployed (scripts/test-staging runs them).

They import the app's own messages and FT helpers, so ``src`` goes on the path and Django is
set up with the development settings; nothing here uses a local database.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superlists.settings")
django.setup()

"""The URLs of lists.js's Jasmine spec runner, for test_javascript.py only.

No URLconf the site serves includes this one (the test switches ROOT_URLCONF to it), so the
runner and Jasmine are never reachable in production; the app's static files, lists.js among
them, come from the test's own static server.
"""

from pathlib import Path

from django.urls import re_path
from django.views.static import serve

SPECS_DIR = Path(__file__).resolve().parent / "javascript"
# jasmine-core, pinned in package-lock.json and installed by `npm ci` (scripts/test does it).
JASMINE_DIR = Path(__file__).resolve().parents[3] / "node_modules/jasmine-core/lib/jasmine-core"
RUNNER_PATH = "javascript-tests/SpecRunner.html"

urlpatterns = [
    re_path(r"^javascript-tests/jasmine/(?P<path>.+)$", serve, {"document_root": JASMINE_DIR}),
    re_path(r"^javascript-tests/(?P<path>.+)$", serve, {"document_root": SPECS_DIR}),
]

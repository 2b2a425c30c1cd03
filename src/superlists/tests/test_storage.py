import json
import tempfile
from pathlib import Path
from unittest.mock import patch

from django.test import SimpleTestCase

from superlists.storage import RememberingStaticFilesStorage
from superlists.tests.test_settings import PRODUCTION_ENV, settings_in

MANIFEST = {"version": "1.1", "hash": "0", "paths": {"css/site.css": "css/site.3f2a1b.css"}}


class RememberingStaticFilesStorageTest(SimpleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        (Path(directory.name) / "staticfiles.json").write_text(json.dumps(MANIFEST))
        self.storage = RememberingStaticFilesStorage(location=directory.name, base_url="/static/")

    def test_the_hashed_url_as_whitenoise_gives_it(self) -> None:
        self.assertEqual(self.storage.url("css/site.css"), "/static/css/site.3f2a1b.css")

    def test_the_manifest_is_looked_up_once_per_name(self) -> None:
        with patch.object(self.storage, "stored_name", wraps=self.storage.stored_name) as lookup:
            for _ in range(3):
                self.assertEqual(self.storage.url("css/site.css"), "/static/css/site.3f2a1b.css")
        lookup.assert_called_once_with("css/site.css")

    def test_a_file_missing_from_the_manifest_is_an_error_every_time(self) -> None:
        for _ in range(2):
            with self.assertRaises(ValueError):
                self.storage.url("css/missing.css")

    def test_collectstatic_makes_it_forget(self) -> None:
        self.storage.url("css/site.css")
        list(self.storage.post_process({}, dry_run=True))
        with patch.object(self.storage, "stored_name", return_value="css/site.new.css"):
            self.assertEqual(self.storage.url("css/site.css"), "/static/css/site.new.css")

    def test_production_uses_it(self) -> None:
        storages = settings_in(PRODUCTION_ENV, "STORAGES")["STORAGES"]
        self.assertEqual(
            storages["staticfiles"]["BACKEND"], "superlists.storage.RememberingStaticFilesStorage"
        )

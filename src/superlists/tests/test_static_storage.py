from django.test import SimpleTestCase

from superlists.tests.test_settings import PRODUCTION_ENV, settings_in


class ProductionStaticFilesStorageTest(SimpleTestCase):
    def test_production_uses_whitenoises(self) -> None:
        # Hashed names, compressed copies, far-future caching. (Each {% static %} URL is
        # remembered by the speed layer's tag, so the storage needs no cache of its own.)
        storages = settings_in(PRODUCTION_ENV, "STORAGES")["STORAGES"]
        self.assertEqual(
            storages["staticfiles"]["BACKEND"],
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )

import django
from django.test import SimpleTestCase

from speedups.wiring import speed_up
from superlists.tests.test_settings import settings_in

WIRED = ("MIDDLEWARE", "TEMPLATES", "STORAGES", "MESSAGE_STORAGE", "SPEEDUPS")

# The upstream versions the parity tests were written against (speedups' docstring says which
# upstream code each piece replaces).
DJANGO_MINOR = (5, 2)
RECHECK = (
    "The speed layer (src/speedups/) copies or replaces code of {name} {written}, and this is "
    "{installed}. Before moving the pin in pyproject.toml: read that release's changes to the "
    "upstream files speedups' docstring names for each piece (csrf, remembering tags), run "
    "its parity tests (speedups.tests) and the whole suite with SUPERLISTS_SPEEDUPS=0 and =1, "
    "then update the versions here and in the docstring."
)


class UpstreamVersionsTest(SimpleTestCase):
    def test_django_is_the_minor_version_the_layer_was_checked_against(self) -> None:
        installed = django.VERSION[:2]
        self.assertEqual(
            installed,
            DJANGO_MINOR,
            RECHECK.format(name="Django", written=DJANGO_MINOR, installed=installed),
        )


class OneSwitchTest(SimpleTestCase):
    def test_off_the_settings_name_only_djangos_and_django_csps_code(self) -> None:
        off = settings_in({"SUPERLISTS_SPEEDUPS": "0"}, *WIRED)
        self.assertFalse(off["SPEEDUPS"])
        self.assertNotIn("speedups", repr(off))
        self.assertIn("csp.middleware.CSPMiddleware", off["MIDDLEWARE"])
        self.assertEqual(off["TEMPLATES"][0]["OPTIONS"]["builtins"], ["django.templatetags.static"])

    def test_on_by_default_each_piece_in_the_place_of_what_it_replaces(self) -> None:
        off = settings_in({"SUPERLISTS_SPEEDUPS": "0"}, *WIRED)
        on = settings_in({}, *WIRED)
        self.assertTrue(on["SPEEDUPS"])
        # django-csp's own middleware, on or off: the layer has no piece of it.
        self.assertEqual(on["MIDDLEWARE"], off["MIDDLEWARE"])
        options = on["TEMPLATES"][0]["OPTIONS"]
        self.assertEqual(options["builtins"], ["speedups.remembering"])
        self.assertEqual(options["context_processors"][-1], "speedups.csrf.csrf")
        self.assertEqual(on["STORAGES"], off["STORAGES"])
        self.assertEqual(on["MESSAGE_STORAGE"], off["MESSAGE_STORAGE"])

    def test_a_replaced_piece_missing_from_the_settings_is_an_error(self) -> None:
        templates = [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {"builtins": [], "context_processors": []},
            }
        ]
        with self.assertRaises(ValueError):
            speed_up(templates)

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from superlists.environment import env_flag


class EnvFlagTest(SimpleTestCase):
    def test_false_in_any_case(self) -> None:
        for value in ["0", "false", "False", "FALSE", "no", "No", "off", "OFF", " off "]:
            with self.subTest(value=value):
                self.assertFalse(env_flag("X", default=True, environ={"X": value}))

    def test_true_in_any_case(self) -> None:
        for value in ["1", "true", "True", "yes", "YES", "on", "On"]:
            with self.subTest(value=value):
                self.assertTrue(env_flag("X", default=False, environ={"X": value}))

    def test_unset_or_empty_is_the_default(self) -> None:
        for environ in [{}, {"X": ""}, {"X": "  "}]:
            with self.subTest(environ=environ):
                self.assertTrue(env_flag("X", default=True, environ=environ))
                self.assertFalse(env_flag("X", default=False, environ=environ))

    def test_anything_else_is_an_error_naming_the_variable(self) -> None:
        with self.assertRaisesRegex(ImproperlyConfigured, "FT_POP3_SSL='ja' must be yes or no"):
            env_flag("FT_POP3_SSL", default=False, environ={"FT_POP3_SSL": "ja"})

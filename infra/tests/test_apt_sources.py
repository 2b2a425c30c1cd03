import unittest

from infra.standin.apt_sources import mirror_in_deb822, mirror_in_one_line_format

DEB822 = """\
Types: deb
URIs: http://security.mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb deb-src
# a comment
URIs: http://mirror.example/debian http://other.example/debian
Suites: bookworm bookworm-updates
Components: main
"""


class DebianMirrorTest(unittest.TestCase):
    def test_deb822_stanza_serving_the_suite(self) -> None:
        self.assertEqual(mirror_in_deb822(DEB822, "bookworm"), "http://mirror.example/debian")

    def test_deb822_without_the_suite(self) -> None:
        self.assertIsNone(mirror_in_deb822(DEB822, "trixie"))

    def test_one_line_format_with_options_and_comments(self) -> None:
        text = (
            "# deb http://old.example/debian bookworm main\n"
            "deb [signed-by=/k.gpg] http://mirror.example/debian bookworm main\n"
        )
        self.assertEqual(
            mirror_in_one_line_format(text, "bookworm"), "http://mirror.example/debian"
        )

    def test_one_line_format_ignores_source_lines_and_other_suites(self) -> None:
        text = (
            "deb-src http://a.example/debian bookworm main\ndeb http://b.example/debian sid main\n"
        )
        self.assertIsNone(mirror_in_one_line_format(text, "bookworm"))


if __name__ == "__main__":
    unittest.main()

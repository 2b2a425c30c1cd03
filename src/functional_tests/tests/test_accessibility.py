"""axe-core as the FTs run it (violations only, for speed) still finds and describes every
offending element."""

from unittest import TestCase

from functional_tests.accessibility import axe_violations, describe_violations
from functional_tests.browser import make_browser

# Two images without alternative text, and a page without a language or title.
BROKEN_PAGE = "data:text/html,<main><img src='a.png'><img src='b.png'></main>"


class AxeViolationsTest(TestCase):
    def test_finds_each_offending_element_with_its_fix(self) -> None:
        browser = make_browser()
        self.addCleanup(browser.quit)
        browser.get(BROKEN_PAGE)

        violations = axe_violations(browser)

        rules = {violation["id"]: violation for violation in violations}
        self.assertIn("image-alt", rules)
        self.assertIn("html-has-lang", rules)
        targets = [node["target"] for node in rules["image-alt"]["nodes"]]
        self.assertEqual(len(targets), 2)
        description = describe_violations(violations)
        self.assertIn("image-alt", description)
        self.assertIn('<img src="b.png">', description)

"""lists.js's Jasmine specs (javascript/lists.spec.js), run in the FTs' headless browser.

One Django test runs the whole spec runner page and fails listing every spec that failed, so
Django's test runner (and scripts/test) counts the JavaScript tests with the rest.
"""

from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import SimpleTestCase, override_settings

from functional_tests.base import wait
from functional_tests.browser import make_browser
from lists.tests.javascript_urls import JASMINE_DIR, RUNNER_PATH


@override_settings(ROOT_URLCONF="lists.tests.javascript_urls")
class JasmineSpecsTest(StaticLiveServerTestCase):
    def test_every_spec_passes(self) -> None:
        self.assertTrue(JASMINE_DIR.is_dir(), f"{JASMINE_DIR} is missing: run `npm ci`")
        browser = make_browser()
        self.addCleanup(browser.quit)
        browser.get(f"{self.live_server_url}/{RUNNER_PATH}")

        @wait
        def finished_run() -> dict[str, Any]:
            results: dict[str, Any] | None = browser.execute_script("return window.jasmineResults")
            assert results is not None, "the Jasmine run has not finished"
            return results

        results = finished_run()
        failures = [
            f"{spec['fullName']} ({spec['status']}): {' / '.join(spec['messages'])}"
            for spec in results["specs"]
            if spec["status"] != "passed"
        ]
        if failures:
            self.fail("These Jasmine specs did not pass:\n" + "\n".join(failures))
        self.assertEqual(results["messages"], [], "errors outside any spec")
        self.assertEqual(results["overallStatus"], "passed", results["incompleteReason"])
        self.assertGreater(len(results["specs"]), 0, "no spec ran")


class SpecRunnerNotServedTest(SimpleTestCase):
    def test_site_does_not_serve_the_spec_runner(self) -> None:
        response = self.client.get(f"/{RUNNER_PATH}")
        self.assertEqual(response.status_code, 404)

// For the Django test that drives this page (lists/tests/test_javascript.py): every spec's
// outcome in window.jasmineResults once the run is over (null until then). Jasmine's own
// report is on the page too, for a person opening it.
window.jasmineResults = null;
(() => {
  const specs = [];
  jasmine.getEnv().addReporter({
    specDone: (result) => {
      specs.push({
        fullName: result.fullName,
        status: result.status,
        messages: result.failedExpectations.map((expectation) => expectation.message),
      });
    },
    jasmineDone: (result) => {
      window.jasmineResults = {
        overallStatus: result.overallStatus,
        incompleteReason: result.incompleteReason ?? "",
        // Errors outside any spec (in a describe, beforeAll or afterAll).
        messages: result.failedExpectations.map((expectation) => expectation.message),
        specs,
      };
    },
  });
})();

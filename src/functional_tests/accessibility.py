"""axe-core, the accessibility engine of browsers' dev tools, run on the page a browser is on.

axe-core comes from npm (package.json pins it; ``npm ci`` installs it, and ``scripts/test`` runs
that for you). Its script is injected into the page through WebDriver, which the page's
Content-Security-Policy does not govern, so the site's own policy stays as strict as it is.
"""

from functools import cache
from pathlib import Path
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Every rule axe runs by default (WCAG 2.0-2.2 A and AA, and its best practices, such as "all
# content in landmarks"); the result is the list of violations only, in plain JSON.
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (results) => done(results.violations),
  (error) => done({axeError: String(error)}),
);
"""

Violation = dict[str, Any]


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(
            f"axe-core is not installed ({AXE_SCRIPT} is missing): run `npm ci` in {REPO_ROOT} "
            "(scripts/test does it for you), then run the tests again."
        )
    return AXE_SCRIPT.read_text()


def axe_violations(browser: WebDriver) -> list[Violation]:
    """What axe-core finds wrong on the page the browser shows now, as axe reports it."""
    if browser.execute_script("return typeof window.axe") == "undefined":  # once per page load
        browser.execute_script(axe_source())
    result: list[Violation] | dict[str, str] = browser.execute_async_script(RUN_AXE)
    if isinstance(result, dict):
        raise RuntimeError(f"axe-core could not check the page: {result['axeError']}")
    return result


def describe_violations(violations: list[Violation]) -> str:
    """Each violation: the rule, what it asks for, and each offending element with axe's fix."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f"  <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html']}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)

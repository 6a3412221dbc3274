"""axe-core in the page: the serious and critical accessibility violations of a screen."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page

from tests.e2e.conftest import WEB

__all__ = ["assert_accessible", "serious_violations"]

AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page, scope: str = "main") -> list[tuple[str, list[Any]]]:
    """Each serious or critical axe rule the settled page breaks in `scope`, with where."""
    page.wait_for_load_state("networkidle")
    # Evaluated rather than added as a <script>: the app's policy allows no inline script.
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async (scope) => (await axe.run(scope)).violations", scope)
    return [
        (v["id"], [(n["target"], n.get("failureSummary", "")) for n in v["nodes"]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, scope: str = "main") -> None:
    """Fails with what axe-core found, if the page breaks a serious or critical rule."""
    found = serious_violations(page, scope)
    assert not found, json.dumps(found)

"""The accessibility check the browser tests share: axe-core (as axe-playwright-python ships
it, read from the installed package, never fetched) run on a page in a real browser, its
findings sorted by impact, and a test failing on any critical or serious one (WCAG 2.2 AA).

Use it on any page a test has open::

    from a11y import assert_accessible
    moderate = assert_accessible(page, "program (fa)")  # fails on critical or serious

``findings`` returns them all, for a test that records the moderate and minor ones."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from playwright.sync_api import Page

#: The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core's tags), and its best
#: practices (landmarks, one main heading), which report at "moderate" at most
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")

#: The impacts that fail a page
FAILING = ("critical", "serious")

_SCRIPT: str | None = None


def axe_script() -> str:
    """axe-core's source as the installed axe-playwright-python ships it (``axe.min.js``):
    evaluated in the page, so nothing is requested from the network."""
    global _SCRIPT
    if _SCRIPT is None:
        _SCRIPT = (files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    return _SCRIPT


@dataclass(frozen=True)
class Finding:
    """One rule that failed on a page: axe's rule id, impact, help text and the failing
    nodes' CSS selectors (with a snippet of each)."""

    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]
    where: str

    def __str__(self) -> str:
        shown = "; ".join(self.nodes[:5]) + (" ..." if len(self.nodes) > 5 else "")
        return f"{self.where}: {self.rule} ({self.impact}, {len(self.nodes)} nodes) {self.help}: {shown}"


def findings(page: Page, where: str = "") -> list[Finding]:
    """Every axe-core violation on the page as it stands (WCAG 2.2 A/AA and best practices),
    most severe first."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(TAGS),
    )
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    out = [
        Finding(
            rule=str(v["id"]),
            impact=str(v.get("impact") or "minor"),
            help=str(v["help"]),
            nodes=tuple(
                " ".join(n["target"] if isinstance(n["target"], list) else [n["target"]])
                + " "
                + str(n.get("html", ""))[:80]
                for n in v["nodes"]
            ),
            where=where,
        )
        for v in result["violations"]
    ]
    return sorted(out, key=lambda f: (order.get(f.impact, 9), f.rule))


def assert_accessible(page: Page, where: str = "") -> list[Finding]:
    """Fail the test on any critical or serious axe-core finding on the page (each listed
    with its nodes); return the moderate and minor ones."""
    found = findings(page, where)
    bad = [f for f in found if f.impact in FAILING]
    assert not bad, "\n".join(str(f) for f in bad)
    return [f for f in found if f.impact not in FAILING]

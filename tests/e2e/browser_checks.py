"""What every page must pass in the browser: axe-core, one h1, lang, skip link, labels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")

# Every result is kept so the run can report what axe found (minor ones included).
AXE_LOG: list[dict[str, Any]] = []


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def check_page(page: Any, name: str | None = None) -> None:
    """Asserts the page's accessibility basics and, given a name, saves its screenshots."""
    lang = page.evaluate("document.documentElement.lang")
    path = page.evaluate("location.pathname")
    assert lang in ("el", "en") and path.startswith(f"/{lang}/"), (lang, path)
    visible_h1 = page.locator("h1:visible")
    assert visible_h1.count() == 1, f"{path}: {visible_h1.count()} visible h1"
    assert page.locator("h1").count() == 1, f"{path}: more than one h1 in the document"
    assert page.locator("a.govgr--skip-link[href='#main']").count() == 1
    other = "en" if lang == "el" else "el"
    switch = page.locator("#lang-switch")
    assert switch.get_attribute("href") == re.sub(r"^/(el|en)/", f"/{other}/", path)
    violations = axe_violations(page)
    AXE_LOG.append({"page": path, "state": name or "", "violations": violations})
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path} ({name}): axe found {blocking}"
    if name:
        screenshot(page, name)


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desktop = page.viewport_size
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(desktop)


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    settle(page)


def settle(page: Any) -> None:
    """Waits until the page's script has attached its handlers."""
    page.wait_for_selector("body[data-ready]", state="attached")

"""Every page of the site, in both languages, as it first opens: axe-core and the basics."""

from __future__ import annotations

import pytest
from browser_checks import check_page, open_page

from frontend.build import LANGUAGES, PAGES

CONSOLE = "agent/"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", [p for p in PAGES.values()], ids=lambda p: p or "home")
def test_page_has_no_serious_accessibility_violations(page, site, lang, path):
    if path.startswith(CONSOLE) and path != "agent":
        token = site.token("sofia")
        page.add_init_script(f"sessionStorage.setItem('console.token', {token!r})")

    open_page(page, f"{site.url}/{lang}/{path}/" if path else f"{site.url}/{lang}/")

    name = f"page-{lang}-{path.replace('/', '-') or 'home'}"
    check_page(page, name if lang == "el" or not path.startswith(CONSOLE) else None)


def test_the_site_root_sends_visitors_to_the_greek_home_page(page, site):
    page.goto(f"{site.url}/")

    page.wait_for_url(f"{site.url}/el/")
    assert page.evaluate("document.documentElement.lang") == "el"

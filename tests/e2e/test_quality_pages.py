"""Service quality in the browser: the supervisors' dashboard and the public transparency
page, each readable without colour and clean under axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_case_journeys import submit_case
from test_console import sign_in

DASHBOARD = {
    "el": {"menu": "Δείκτες ποιότητας", "reference": "Επίπεδο 1, αναφορά 1555: 84,4%"},
    "en": {"menu": "Service quality", "reference": "Tier 1, 1555 reference: 84.4%"},
}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_a_supervisor_reads_the_period_s_figures_and_the_tier_chart_beside_the_reference(
    page, site, lang
):
    submit_case(site, subject="Για τους δείκτες")
    words = DASHBOARD[lang]
    sign_in(page, site, "sofia", lang)

    page.get_by_role("link", name=words["menu"], exact=True).click()
    settle(page)

    period = f"from={page.locator('#from').input_value()}&to={page.locator('#to').input_value()}"
    opened = site.as_agent("sofia", "GET", f"/supervisor/kpis?{period}").json()["cases"]["opened"]
    assert opened >= 1
    expect(page.locator("[data-figure=opened] dd")).to_have_text(str(opened))
    chart = page.locator("svg.bar-chart").first  # answers by tier: a bar and its reference
    expect(chart.locator("desc")).to_contain_text(words["reference"])
    expect(chart.locator("text", has_text="84")).to_have_count(1)
    check_page(page, f"kpis-{lang}")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    lines = Path(download.value.path()).read_text("utf-8").splitlines()
    rows = dict(line.split(",", 1) for line in lines)
    assert rows["cases.opened"] == str(opened)


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_public_transparency_page_shows_each_agency_and_the_next_free_appointments(
    page, site, lang
):
    open_page(page, f"{site.url}/{lang}/")
    footer = page.locator("footer")
    footer.get_by_role("link", name="Διαφάνεια" if lang == "el" else "Transparency").click()
    settle(page)

    expect(page.locator("#agencies tbody tr")).to_have_count(4)
    expect(page.locator("#agencies tr[data-agency=efka]")).to_be_visible()
    syntagma = page.locator("#branches tr[data-branch=kep-athens-syntagma]")
    expect(syntagma.first).to_be_visible()
    expect(page.locator("#volume svg[role=img] title")).to_have_count(1)
    check_page(page, f"transparency-{lang}")

"""The console's sign-in is kept across the tabs of one browser, until it expires or the agent
signs out."""

from __future__ import annotations

import base64
import json
import re

import pytest
from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_case_journeys import submit_case
from test_console import sign_in

SIGN_IN = {"el": "Σύνδεση υπαλλήλων", "en": "Staff sign-in"}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_a_case_opened_in_a_new_tab_opens_without_signing_in_again(page, site, lang):
    ref = submit_case(site)["reference"]
    sign_in(page, site, "maria", lang)

    tab = page.context.new_page()
    open_page(tab, f"{site.url}/{lang}/agent/case/#ref={ref}")

    expect(tab).to_have_url(re.compile(rf"/{lang}/agent/case/#ref={ref}$"))
    expect(tab.locator("h1")).to_contain_text(ref)
    check_page(tab)


@pytest.mark.parametrize("lang", ["el", "en"])
def test_signing_out_in_one_tab_signs_out_every_tab(page, site, lang):
    sign_in(page, site, "maria", lang)
    other = page.context.new_page()
    open_page(other, f"{site.url}/{lang}/agent/queue/")

    page.locator("[data-sign-out]").click()

    expect(other).to_have_url(re.compile(rf"/{lang}/agent/#"))
    expect(other.locator("h1")).to_have_text(SIGN_IN[lang])
    open_page(other, f"{site.url}/{lang}/agent/queue/")
    expect(other).to_have_url(re.compile(rf"/{lang}/agent/#next="))


def test_an_expired_sign_in_kept_in_the_browser_is_dropped(page, site):
    sign_in(page, site, "maria", "en")
    claims = {"sub": "maria", "name": "Maria", "roles": ["agent"], "exp": 1_000_000_000}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    page.evaluate(
        "t => { localStorage.setItem('console.token', t); sessionStorage.clear(); }",
        f"x.{body}.y",
    )

    open_page(page.context.new_page(), f"{site.url}/en/agent/queue/")
    tab = page.context.pages[-1]

    expect(tab).to_have_url(re.compile(r"/en/agent/#next=.*reason=expired"))
    settle(tab)
    assert tab.evaluate("localStorage.getItem('console.token')") is None

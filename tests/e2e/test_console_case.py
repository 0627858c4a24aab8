"""An agent's case page: only the actions they may take, names instead of ids, the result of
each action announced and focused, and a page that fits a phone."""

from __future__ import annotations

import pytest
from browser_checks import check_page, open_page
from playwright.sync_api import expect
from test_case_journeys import submit_case
from test_console import sign_in

PHONE = {"width": 375, "height": 740}
WORDS = {
    "el": {
        "claim": "Ανάληψη",
        "escalate": "Κλιμάκωση",
        "resolve": "Επίλυση",
        "reason": "Αιτιολογία",
        "note": "Προσθήκη σημείωσης",
    },
    "en": {
        "claim": "Claim",
        "escalate": "Escalate",
        "resolve": "Resolve",
        "reason": "Reason",
        "note": "Add a note",
    },
}


def open_case(page, site, ref: str, user: str, lang: str) -> None:
    sign_in(page, site, user, lang)
    open_page(page, f"{site.url}/{lang}/agent/case/#ref={ref}")
    expect(page.locator("h1")).to_contain_text(ref)


@pytest.mark.parametrize("lang", ["el", "en"])
def test_after_escalating_the_case_page_offers_no_action_the_server_would_refuse(page, site, lang):
    words = WORDS[lang]
    ref = submit_case(site)["reference"]
    open_case(page, site, ref, "maria", lang)
    page.get_by_role("button", name=words["claim"], exact=True).click()
    expect(page.get_by_role("button", name=words["claim"], exact=True)).to_have_count(0)

    page.locator("#f-escalate-reason").fill("Χρειάζεται το δεύτερο επίπεδο")
    page.get_by_role("button", name=words["escalate"], exact=True).click()

    expect(page.locator("[data-notice]")).to_contain_text(words["escalate"])
    actions = page.locator("[data-out=actions]")
    expect(actions.get_by_role("button")).to_have_count(0)
    view = site.as_agent("maria", "GET", f"/agent/cases/{ref}").json()
    assert view["allowed_actions"] == []
    check_page(page)


NAMES = {
    "el": {
        "owner": "1555 Πρώτη γραμμή / Μαρία Παπαδοπούλου",
        "channel": "Ιστότοπος",
        "agency": "ΔΥΠΑ (Δημόσια Υπηρεσία Απασχόλησης) / ",
        "citizen": "Πολίτης",
    },
    "en": {
        "owner": "1555 first line / Μαρία Παπαδοπούλου",
        "channel": "Website",
        "agency": "DYPA (Public Employment Service) / ",
        "citizen": "Citizen",
    },
}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_case_page_names_the_team_agent_agency_channel_and_actors_in_its_language(
    page, site, lang
):
    names = NAMES[lang]
    ref = submit_case(site)["reference"]
    open_case(page, site, ref, "maria", lang)

    page.get_by_role("button", name=WORDS[lang]["claim"], exact=True).click()

    details = page.locator("[data-out=details]")
    expect(details).to_contain_text(names["owner"])
    expect(details).to_contain_text(names["channel"])
    expect(details).to_contain_text(names["agency"])
    history = page.locator("[data-out=history]")
    expect(history).to_contain_text(names["citizen"])
    expect(history).to_contain_text(names["owner"])
    opened = history.locator("tbody tr").first.locator("td")
    expect(opened.nth(2)).to_have_text(names["citizen"])
    expect(opened.nth(4)).to_have_text(names["channel"])
    for raw in ("first-line", "dypa /", "unemployment-benefit", "maria", "web"):
        assert raw not in page.locator("#case").inner_text()


def widest(page) -> list[str]:
    """Elements wider than the viewport (what makes the page scroll sideways)."""
    return page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth + 1;
            const right = (e) => Math.round(e.getBoundingClientRect().right);
            return [...document.querySelectorAll('body *')]
              .filter((e) => right(e) > edge && !e.closest('.table-wrap > *'))
              .map((e) => `${e.tagName}.${e.className} ${right(e)}`)
              .slice(0, 8);
        }"""
    )


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_case_page_fits_a_phone_without_sideways_scrolling(page, site, lang):
    ref = submit_case(site)["reference"]
    page.set_viewport_size(PHONE)
    open_case(page, site, ref, "maria", lang)
    page.get_by_role("button", name=WORDS[lang]["claim"], exact=True).click()
    expect(page.locator("[data-notice]")).to_be_visible()

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert overflow <= 0, widest(page)
    check_page(page)


@pytest.mark.parametrize("lang", ["el", "en"])
def test_each_action_replaces_the_last_result_and_takes_the_focus_to_it(page, site, lang):
    words = WORDS[lang]
    ref = submit_case(site)["reference"]
    open_case(page, site, ref, "maria", lang)
    page.get_by_role("button", name=words["claim"], exact=True).click()
    notice = page.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_be_focused()

    page.get_by_role("button", name=words["note"], exact=True).click()  # no text: refused

    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(notice).to_be_hidden()
    page.locator("#f-note-note").fill("Τηλεφώνησα στον πολίτη.")
    page.get_by_role("button", name=words["note"], exact=True).click()
    expect(notice).to_contain_text(words["note"])
    expect(notice).to_be_focused()
    expect(page.locator("#error-summary")).to_have_count(0)
    check_page(page)

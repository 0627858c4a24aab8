"""The console's other pages: names instead of ids, look-up results that lead somewhere, menus
that show only the pages the agent can use, the queue's scope and the breaches' order."""

from __future__ import annotations

import re

import pytest
from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_appointments_and_callbacks import amka, book
from test_case_journeys import past_every_deadline, submit_case
from test_console import sign_in

LOOKUP = {
    "el": {
        "menu": "Αναζήτηση πολίτη",
        "by": "Αναζήτηση με",
        "value": "Τιμή",
        "reason": "Για ποιο λόγο αναζητάτε τον πολίτη",
        "search": "Αναζήτηση",
        "service": "Έκδοση πιστοποιητικού",
        "branch": "ΚΕΠ Δήμου Αθηναίων - Σύνταγμα",
    },
    "en": {
        "menu": "Citizen look-up",
        "by": "Look up by",
        "value": "Value",
        "reason": "Why you are looking this citizen up",
        "search": "Look up",
        "service": "Certificate issue",
        "branch": "KEP Athens - Syntagma",
    },
}


def look_up(page, lang: str, kind: str, value: str) -> None:
    words = LOOKUP[lang]
    page.get_by_role("link", name=words["menu"]).click()
    settle(page)
    page.get_by_label(words["by"]).select_option(kind)
    page.get_by_label(words["value"], exact=True).fill(value)
    page.get_by_label(words["reason"]).fill("Κλήση για ραντεβού")
    page.get_by_role("button", name=words["search"], exact=True).click()


@pytest.mark.parametrize(("lang", "serial"), [("el", 7101), ("en", 7102)])
def test_a_booking_found_by_look_up_is_named_and_links_to_its_day_at_the_branch(
    page, site, lang, serial
):
    words = LOOKUP[lang]
    citizen = amka("150385", serial)
    booking = book(site, citizen)
    sign_in(page, site, "katerina", lang)

    look_up(page, lang, "amka", citizen)

    row = page.locator("tr[data-kind=booking]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(words["branch"])
    expect(row).to_contain_text(words["service"])
    assert "kep-certificate" not in row.inner_text()
    assert "kep-athens-syntagma" not in row.inner_text()
    check_page(page)
    row.get_by_role("link", name=booking["code"]).click()
    settle(page)

    expect(page).to_have_url(re.compile(rf"/{lang}/agent/branch/#branch=kep-athens-syntagma"))
    expect(page.locator("select[name=branch] option:checked")).to_have_text(words["branch"])
    expect(page.locator(f"tr[data-code='{booking['code']}']")).to_have_attribute(
        "aria-current", "true"
    )


@pytest.mark.parametrize(("lang", "role"), [("el", "Επόπτης/τρια"), ("en", "Supervisor")])
def test_the_sign_in_page_names_the_demo_users_roles_in_its_language(page, site, lang, role):
    open_page(page, f"{site.url}/{lang}/agent/")

    sofia = page.locator("input[name=user][value=sofia]").locator("xpath=..")

    expect(sofia).to_contain_text(role)
    assert "supervisor" not in sofia.inner_text()


MENU = {
    "el": {"breaches": "Παραβιάσεις", "branch": "Ημέρα καταστήματος"},
    "en": {"breaches": "Breaches", "branch": "Branch day"},
}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_menu_shows_only_the_pages_the_agent_can_use(page, site, lang):
    nav = page.locator("#console-nav")
    seen = {}
    for user in ("maria", "sofia", "katerina"):
        sign_in(page, site, user, lang)
        seen[user] = {
            key: nav.get_by_role("link", name=name, exact=True).is_visible()
            for key, name in MENU[lang].items()
        }

    assert seen == {
        "maria": {"breaches": False, "branch": False},
        "sofia": {"breaches": True, "branch": False},
        "katerina": {"breaches": False, "branch": True},
    }
    check_page(page)


@pytest.mark.parametrize(
    ("lang", "label", "mine"),
    [("el", "Ποια αιτήματα", "Μόνο τα δικά μου"), ("en", "Which cases", "Only mine")],
)
def test_the_queue_lists_the_team_s_cases_or_only_the_agent_s_own(page, site, lang, label, mine):
    held = submit_case(site)["reference"]
    waiting = submit_case(site)["reference"]
    version = site.as_agent("nikos", "GET", f"/agent/cases/{held}").json()["version"]
    site.as_agent("nikos", "POST", f"/agent/cases/{held}/claim", {"version": version})
    sign_in(page, site, "nikos", lang)
    expect(page.locator(f"tr[data-ref='{waiting}']")).to_be_visible()

    page.get_by_label(label).select_option(label=mine)

    expect(page.locator(f"tr[data-ref='{waiting}']")).to_have_count(0)
    expect(page.locator(f"tr[data-ref='{held}']")).to_be_visible()
    rows = page.locator("#cases tbody tr")
    owners = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert all("Νίκος Γεωργίου" in row for row in owners)
    check_page(page)
    page.reload()
    settle(page)
    expect(page.get_by_label(label)).to_have_value("mine")


@pytest.mark.parametrize(("lang", "menu"), [("el", "Παραβιάσεις"), ("en", "Breaches")])
def test_breaches_list_the_most_overdue_case_first(page, site, lang, menu):
    earlier = submit_case(site, agency="kep", topic="other", subject="Πρώτη")["reference"]
    past_every_deadline(site)
    later = submit_case(site, agency="kep", topic="other", subject="Δεύτερη")["reference"]
    past_every_deadline(site)
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, site, "sofia", lang)

    page.get_by_role("link", name=menu).click()
    settle(page)

    refs = page.locator("tr[data-ref]").evaluate_all("rows => rows.map(r => r.dataset.ref)")
    assert earlier in refs and later in refs
    assert refs.index(earlier) < refs.index(later)
    check_page(page, f"console-breaches-order-{lang}")

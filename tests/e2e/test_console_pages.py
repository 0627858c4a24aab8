"""The console's other pages: names instead of ids, look-up results that lead somewhere, menus
that show only the pages the agent can use, the queue's scope and the breaches' order."""

from __future__ import annotations

import re

import pytest
from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_appointments_and_callbacks import amka, book
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

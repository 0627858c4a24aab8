"""An administrator keeps a team's agents in the console: adds one with shifts, sees them
listed, and deactivates another; the page passes axe in both languages."""

from __future__ import annotations

import pytest
from browser_checks import check_page, settle
from playwright.sync_api import expect
from test_console import sign_in

WORDS = {
    "el": {
        "menu": "Υπάλληλοι",
        "team": "Ομάδα",
        "show": "Εμφάνιση",
        "add": "Προσθήκη υπαλλήλου",
        "id": "Όνομα χρήστη",
        "name": "Ονοματεπώνυμο",
        "monday": "Δευτέρα",
        "save": "Αποθήκευση",
        "deactivate": "Απενεργοποίηση",
        "format": "Γράψτε τις ώρες ως ΩΩ:ΛΛ-ΩΩ:ΛΛ",
    },
    "en": {
        "menu": "Agents",
        "team": "Team",
        "show": "Show",
        "add": "Add an agent",
        "id": "User name",
        "name": "Full name",
        "monday": "Monday",
        "save": "Save",
        "deactivate": "Deactivate",
        "format": "Write the hours as HH:MM-HH:MM",
    },
}
TEAM = {"el": "dypa-support", "en": "dypa-support"}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_an_admin_adds_an_agent_with_shifts_and_deactivates_another(page, site, lang):
    words = WORDS[lang]
    user = f"stavros-{lang}"
    sign_in(page, site, "admin", lang)
    page.get_by_role("link", name=words["menu"]).click()
    settle(page)
    page.get_by_label(words["team"]).select_option(TEAM[lang])
    page.get_by_role("button", name=words["show"], exact=True).click()
    expect(page.locator("tr[data-agent=anna]")).to_have_count(1)

    page.get_by_role("button", name=words["add"]).click()
    page.get_by_label(words["id"]).fill(user)
    page.get_by_label(words["name"]).fill("Σταύρος Παππάς")
    page.get_by_label(words["monday"]).fill("8 to 4")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#error-summary")).to_contain_text(words["format"])
    page.get_by_label(words["monday"]).fill("08:00-16:00")
    page.get_by_role("button", name=words["save"]).click()

    row = page.locator(f"tr[data-agent={user}]")
    expect(row).to_contain_text("08:00–16:00")
    check_page(page, f"console-agents-{lang}")
    record = site.as_agent("admin", "GET", f"/admin/agents/{user}").json()
    assert record["teams"] == [TEAM[lang]] and record["shifts"] == {"mon": [["08:00", "16:00"]]}

    row.get_by_role("button", name=words["deactivate"]).click()
    expect(row).to_have_count(0)
    assert site.as_agent("admin", "GET", f"/admin/agents/{user}").json()["active"] is False


def test_the_agents_page_is_offered_to_admins_only(page, site):
    sign_in(page, site, "sofia")

    expect(page.get_by_role("link", name=WORDS["el"]["menu"])).to_have_count(0)

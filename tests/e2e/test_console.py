"""Agents in the console: sign in, the queue, a case's actions, conflicts, calls, breaches."""

from __future__ import annotations

import re

from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_case_journeys import past_every_deadline, submit_case


def sign_in(page, site, user: str, lang: str = "el") -> None:
    open_page(page, f"{site.url}/{lang}/agent/")
    page.locator(f"input[name=user][value={user}]").check()
    page.locator("#local button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/agent/queue/$"))
    settle(page)


def test_agent_signs_in_as_a_demo_user_and_sees_the_queue_sorted_with_sla_colours(page, site):
    first = submit_case(site, subject="Πρώτο αίτημα")
    second = submit_case(site, subject="Δεύτερο αίτημα")
    open_page(page, f"{site.url}/el/agent/")
    page.wait_for_selector("input[name=user]")
    check_page(page, "console-sign-in")

    sign_in(page, site, "maria")

    rows = page.locator("#cases tbody tr")
    expect(rows.first).to_be_visible()
    order = [rows.nth(i).get_attribute("data-ref") for i in range(rows.count())]
    assert order.index(first["reference"]) < order.index(second["reference"])
    expect(page.locator(f"tr[data-ref='{first['reference']}'] .sla")).to_have_class(
        re.compile("sla-ok")
    )
    expect(page.locator("[data-who]")).to_contain_text("Μαρία Παπαδοπούλου")
    check_page(page, "console-queue")


def test_agent_claims_and_resolves_a_case_and_the_citizen_sees_the_answer(page, site):
    receipt = submit_case(site, subject="Πότε πληρώνεται το επίδομα;")
    ref = receipt["reference"]
    sign_in(page, site, "maria", "en")

    page.get_by_role("link", name=ref).click()
    settle(page)
    expect(page.locator("h1")).to_contain_text(ref)
    expect(page.locator("[data-out=details]")).to_contain_text("Received")
    check_page(page, "console-case")
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("[data-notice]")).to_have_text("Done: Claim.")
    expect(page.locator("[data-out=details]")).to_contain_text(
        "1555 first line / Μαρία Παπαδοπούλου"
    )
    page.get_by_label("Answer to the citizen").fill("Paid on the 25th of each month.")
    page.get_by_role("button", name="Resolve").click()

    expect(page.locator("[data-out=details]")).to_contain_text("Answered")
    expect(page.locator("[data-out=history]")).to_contain_text("Paid on the 25th")
    check_page(page, "console-case-resolved")
    open_page(page, f"{site.url}/en/track/#ref={ref}&token={receipt['tracking_token']}")
    expect(page.locator("[data-out=answer]")).to_have_text("Paid on the 25th of each month.")


def test_an_action_on_a_stale_version_shows_the_conflict_and_a_reload_keeps_the_text(page, site):
    ref = submit_case(site)["reference"]
    sign_in(page, site, "maria", "en")
    open_page(page, f"{site.url}/en/agent/case/#ref={ref}")
    expect(page.get_by_role("button", name="Claim")).to_be_visible()

    version = site.as_agent("nikos", "GET", f"/agent/cases/{ref}").json()["version"]
    site.as_agent("nikos", "POST", f"/agent/cases/{ref}/note", {"version": version, "note": "x"})
    page.get_by_label("Note", exact=True).fill("Called the citizen back.")
    page.get_by_role("button", name="Add a note").click()

    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else changed this case")
    check_page(page, "console-conflict")
    page.get_by_role("button", name="Reload the case").click()
    expect(conflict).to_be_hidden()
    expect(page.get_by_label("Note", exact=True)).to_have_value("Called the citizen back.")
    page.get_by_role("button", name="Add a note").click()
    expect(page.locator("[data-out=history]")).to_contain_text("Called the citizen back.")


def test_agent_logs_a_phone_call_as_a_case_charged_to_them(page, site):
    sign_in(page, site, "nikos")
    page.get_by_role("link", name="Καταγραφή κλήσης").click()
    settle(page)
    page.get_by_role("button", name="Δημιουργία αιτήματος").click()
    expect(page.locator("#error-summary")).to_contain_text("Επιλέξτε φορέα")

    page.get_by_label("Φορέας").select_option("efka")
    page.get_by_label("Κατηγορία").select_option("pension")
    page.get_by_label("Θέμα", exact=True).fill("Ερώτηση για σύνταξη")
    page.get_by_label("Η ερώτηση ή το πρόβλημά σας").fill("Πότε εκδίδεται η σύνταξη;")
    page.get_by_label("Ονοματεπώνυμο").fill("Κώστας Αλεξίου")
    page.get_by_label("Κινητό ή σταθερό τηλέφωνο").fill("12")
    page.get_by_label("Ο/Η καλών/ούσα συμφώνησε").check()
    page.get_by_role("button", name="Δημιουργία αιτήματος").click()
    expect(page.locator("#error-summary")).to_contain_text("Δώστε ελληνικό αριθμό")
    check_page(page, "console-call-error")
    page.get_by_label("Κινητό ή σταθερό τηλέφωνο").fill("2101234567")
    page.get_by_role("button", name="Δημιουργία αιτήματος").click()

    notice = page.locator("[data-notice]")
    expect(notice).to_contain_text("Δημιουργήθηκε το αίτημα C-")
    page.get_by_role("link", name="Άνοιγμα του αιτήματος").click()
    settle(page)
    expect(page.locator("[data-out=details]")).to_contain_text("1555 Πρώτη γραμμή / Νίκος Γεωργίου")
    expect(page.locator("[data-out=details]")).to_contain_text("Τηλέφωνο")


def test_supervisor_sees_breached_cases_and_agents_are_told_the_page_is_not_theirs(page, site):
    ref = submit_case(site, agency="kep", topic="other", subject="Παραβίαση")["reference"]
    past_every_deadline(site)

    sign_in(page, site, "sofia", "en")
    page.get_by_role("link", name="Breaches").click()
    settle(page)
    row = page.locator(f"tr[data-ref='{ref}']")
    expect(row).to_be_visible()
    expect(row.locator(".sla").first).to_have_class(re.compile("sla-late"))
    check_page(page, "console-breaches")

    sign_in(page, site, "maria", "en")
    open_page(page, f"{site.url}/en/agent/breaches/")
    expect(page.locator("#cases")).to_contain_text("Your account cannot use this page.")


def test_console_pages_send_a_signed_out_visitor_to_sign_in(page, site):
    open_page(page, f"{site.url}/en/agent/queue/")

    expect(page).to_have_url(re.compile(r"/en/agent/#next="))
    expect(page.locator("h1")).to_have_text("Staff sign-in")


def test_a_pasted_token_that_is_not_valid_is_refused_and_unknown_demo_users_too(page, site):
    open_page(page, f"{site.url}/en/agent/")
    page.get_by_label("Access token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("#error-summary")).to_contain_text("Sign in again.")
    expect(page.get_by_label("Access token")).to_have_attribute("aria-invalid", "true")
    refused = site.api("POST", "/dev/token", {"user": "nobody"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["user"]

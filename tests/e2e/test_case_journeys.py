"""A citizen asks a question, tracks it, answers a request for information and chases it."""

from __future__ import annotations

import re

from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect

CITIZEN = {
    "full_name": "Ελένη Μαρκοπούλου",
    "email": "eleni@example.gr",
    "phone": "6912345678",
}
CASE = {
    "agency": "dypa",
    "topic": "unemployment-benefit",
    "subject": "Καθυστέρηση επιδόματος",
    "description": "Δεν έχω λάβει το επίδομα ανεργίας του Νοεμβρίου.",
    "language": "el",
    "consent": True,
    "citizen": CITIZEN,
}


def next_step(page) -> None:
    page.locator("form:not([hidden]) button[type=submit]").click()


def submit_case(site, **changes) -> dict:
    response = site.api("POST", "/cases", {**CASE, **changes})
    assert response.status_code == 201, response.text
    return response.json()


def test_citizen_asks_a_question_step_by_step_and_tracks_it(page, site):
    open_page(page, f"{site.url}/el/")
    check_page(page, "home-el")
    page.get_by_role("link", name="Υποβολή ερώτησης ή αναφοράς προβλήματος").first.click()
    settle(page)

    page.get_by_label("ΔΥΠΑ (Δημόσια Υπηρεσία Απασχόλησης)").check()
    check_page(page, "ask-agency")
    next_step(page)
    page.get_by_label("Επίδομα ανεργίας").check()
    next_step(page)
    page.get_by_label("Θέμα").fill(CASE["subject"])
    page.get_by_label("Η ερώτηση ή το πρόβλημά σας").fill(CASE["description"])
    check_page(page, "ask-question")
    next_step(page)
    page.get_by_label("Ονοματεπώνυμο").fill(CITIZEN["full_name"])
    page.get_by_label("E-mail").fill(CITIZEN["email"])
    check_page(page, "ask-details")
    next_step(page)
    page.get_by_label("Συμφωνώ να χρησιμοποιηθούν").check()
    next_step(page)
    check_page(page, "ask-check")
    expect(page.locator(".govgr-summary-list")).to_contain_text(CASE["subject"])
    next_step(page)

    reference = page.locator(".reference")
    expect(reference).to_have_text(re.compile(r"^C-[0-9A-Z-]+$"))
    expect(page.locator("h1")).to_have_text("Το αίτημά σας υποβλήθηκε")
    expect(page.locator("main")).to_contain_text("Θα σας απαντήσουμε έως")
    expect(page.locator("main")).to_contain_text("Η προθεσμία που ορίζει ο νόμος")
    check_page(page, "ask-confirmation")
    track = page.locator("[data-out=track]")
    assert re.search(r"/el/track/#ref=C-[^&]+&token=.+", track.get_attribute("href"))
    number = reference.inner_text()
    track.click()
    settle(page)

    expect(page.locator("#case-heading")).to_have_text(number)
    expect(page.locator("[data-out=status]")).to_have_text("Παραλήφθηκε")
    expect(page.locator("[data-out=timeline]")).to_contain_text("Το αίτημα παραλήφθηκε")
    check_page(page, "track-case")


def test_empty_steps_and_refused_identifiers_show_an_error_summary_linked_to_the_field(page, site):
    open_page(page, f"{site.url}/en/ask/")
    page.wait_for_selector("input[name=agency]")

    next_step(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Choose the agency")).to_be_visible()
    check_page(page, "ask-error-summary")

    page.get_by_label("e-EFKA (Social Insurance)").check()
    next_step(page)
    page.get_by_label("Pensions").check()
    next_step(page)
    page.get_by_label("Subject").fill("Pension")
    page.get_by_label("Your question or problem").fill("When is my pension paid?")
    next_step(page)
    page.get_by_label("Full name").fill("Nick Example")
    page.get_by_label("E-mail").fill("nick@example.gr")
    page.get_by_label("AMKA").fill("12345678901")
    next_step(page)  # the step checks the AMKA as the API would

    expect(summary).to_contain_text("The first 6 digits of the AMKA are the date of birth")
    summary.get_by_role("link").first.click()
    amka = page.get_by_label("AMKA")
    expect(amka).to_be_focused()
    expect(amka).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".govgr-field__error")).to_contain_text("date of birth")
    check_page(page, "ask-field-error")


def test_the_language_switch_opens_the_same_page_in_the_other_language(page, site):
    receipt = submit_case(site)
    open_page(
        page, f"{site.url}/el/track/#ref={receipt['reference']}&token={receipt['tracking_token']}"
    )
    expect(page.locator("[data-out=status]")).to_have_text("Παραλήφθηκε")

    page.get_by_role("link", name="English").click()
    settle(page)

    expect(page).to_have_url(re.compile(r"/en/track/#ref="))
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("h1")).to_have_text("Track my request")
    expect(page.locator("[data-out=status]")).to_have_text("Received")
    page.get_by_role("link", name="Ελληνικά").click()
    expect(page.locator("h1")).to_have_text("Πορεία του αιτήματός μου")


def test_a_wrong_tracking_code_is_refused_without_saying_whether_the_request_exists(page, site):
    receipt = submit_case(site)
    open_page(page, f"{site.url}/en/track/")

    page.get_by_label("Reference").fill(receipt["reference"])
    page.get_by_label("Tracking code").fill("not-the-token")
    page.get_by_role("button", name="Show my request").click()

    expect(page.locator("#error-summary")).to_contain_text("Check the reference")
    expect(page.locator("#case")).to_be_hidden()
    check_page(page, "track-not-found")


def test_citizen_answers_a_request_for_information_on_the_tracking_page(page, site):
    receipt = submit_case(site)
    ref = receipt["reference"]
    detail = site.as_agent("maria", "GET", f"/agent/cases/{ref}").json()
    site.as_agent("maria", "POST", f"/agent/cases/{ref}/claim", {"version": detail["version"]})
    site.as_agent(
        "maria",
        "POST",
        f"/agent/cases/{ref}/request-info",
        {"version": detail["version"] + 1, "question": "Ποιος είναι ο ΑΜΚΑ σας;"},
    )
    open_page(page, f"{site.url}/el/track/#ref={ref}&token={receipt['tracking_token']}")
    expect(page.locator("[data-out=status]")).to_have_text("Αναμένεται η απάντησή σας")
    expect(page.locator("[data-out=question]")).to_have_text("Ποιος είναι ο ΑΜΚΑ σας;")
    check_page(page, "track-question")

    page.get_by_role("button", name="Αποστολή απάντησης").click()
    expect(page.locator("#error-summary")).to_contain_text("Γράψτε την απάντησή σας")
    page.get_by_label("Η απάντησή σας").fill("15038512347")
    page.get_by_role("button", name="Αποστολή απάντησης").click()

    expect(page.locator("[data-out=notice]")).to_contain_text("Λάβαμε την απάντησή σας")
    expect(page.locator("[data-out=status]")).to_have_text("Σε επεξεργασία")
    expect(page.locator("#reply")).to_be_hidden()


def past_every_deadline(site) -> None:
    """Moves the server's clock until a new case breached its last tier and its promised date."""
    for step in ("PT9H", "P7D", "P21D", "P60D"):  # the last one past the promised date
        assert site.api("POST", "/dev/clock", {"advance": step}).status_code == 200


def test_citizen_can_chase_a_request_once_its_date_has_passed(page, site):
    receipt = submit_case(site, agency="opeka", topic="child-benefit")
    link = f"{site.url}/en/track/#ref={receipt['reference']}&token={receipt['tracking_token']}"
    open_page(page, link)
    expect(page.locator("[data-out=status]")).to_have_text("Received")
    expect(page.locator("#late")).to_be_hidden()

    past_every_deadline(site)
    page.reload()

    expect(page.locator("#late")).to_contain_text("The date we promised has passed.")
    check_page(page, "track-late")
    page.get_by_role("button", name="Ask what is happening").click()
    expect(page.locator("[data-out=notice]")).to_contain_text("We have told the team in charge")
    expect(page.locator("[data-out=timeline]")).to_contain_text("Chased by the citizen")
    expect(page.locator("#late")).to_be_hidden()

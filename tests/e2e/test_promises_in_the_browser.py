"""The promises the service keeps, as citizens and agents see them in the browser.

A promised date rather than an internal target, a missed callback owned up to, the desk's
buttons as the API allows them, the help asked for at an appointment, and Athens times.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_appointments_and_callbacks import amka, book, choose_a_time, next_step
from test_console import sign_in

from chalicelib.domain.calendar import ATHENS

PHONE = {"width": 375, "height": 740}
MONTHS_EN = "January February March April May June July August September October November December"


def shown_promise(promised: str, lang: str) -> str:
    day = date.fromisoformat(promised)
    if lang == "el":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {MONTHS_EN.split()[day.month - 1]} {day.year}"


def set_clock(site, when: datetime) -> None:
    assert site.api("POST", "/dev/clock", {"set": when.isoformat()}).status_code == 200


def ask_in_the_browser(page, site, lang: str) -> None:
    open_page(page, f"{site.url}/{lang}/ask/")
    page.locator("input[name=agency][value=opeka]").check()
    next_step(page)
    page.locator("input[name=topic]").first.check()
    next_step(page)
    page.locator("[name=subject]").fill("Child benefit")
    page.locator("[name=description]").fill("When is it paid?")
    next_step(page)
    page.locator("[name='citizen.full_name']").fill("Ελένη Μαρκοπούλου")
    page.locator("[name='citizen.email']").fill("promise@example.gr")
    next_step(page)
    page.locator("[name=consent]").check()
    next_step(page)
    next_step(page)


@pytest.mark.parametrize("lang", ["el", "en"])
def test_receipt_and_track_page_promise_a_date_and_chase_only_after_it(page, site, lang):
    page.set_viewport_size(PHONE)
    ask_in_the_browser(page, site, lang)

    track = page.locator("[data-out=track]")
    expect(track).to_have_attribute("href", re.compile("token="))
    ref, token = re.search(r"#ref=([^&]+)&token=(.+)$", track.get_attribute("href")).groups()
    view = site.api("GET", f"/cases/{ref}", **{"X-Tracking-Token": token}).json()
    promised = shown_promise(view["promised_by"], lang)
    by = "Θα σας απαντήσουμε έως" if lang == "el" else "We will answer by"
    expect(page.locator("[data-out=due]")).to_have_text(f"{by} {promised}.")
    check_page(page, f"promise-receipt-{lang}")
    track.click()
    settle(page)

    expect(page.locator("[data-out=due]")).to_have_text(promised)
    expect(page.locator("#late")).to_be_hidden()
    # Past the first line's internal target, but still on the promised day: no chase yet.
    promised_day = date.fromisoformat(view["promised_by"])
    set_clock(
        site, datetime.combine(promised_day, datetime.min.time(), ATHENS) + timedelta(hours=20)
    )
    page.reload()
    settle(page)
    expect(page.locator("[data-out=due]")).to_have_text(promised)
    expect(page.locator("#chase")).to_be_hidden()

    set_clock(
        site,
        datetime.combine(promised_day, datetime.min.time(), ATHENS) + timedelta(days=1, hours=9),
    )
    page.reload()
    settle(page)
    expect(page.locator("#late")).to_be_visible()
    check_page(page, f"promise-late-{lang}")
    page.locator("#chase").click()
    expect(page.locator("[data-out=notice]")).to_be_visible()
    page.reload()
    settle(page)
    page.locator("#chase").click()
    again = "ξανά σε 24 ώρες" if lang == "el" else "again in 24 hours"
    expect(page.locator("#error-summary")).to_contain_text(again)
    expect(page.locator("#error-summary")).not_to_contain_text(
        "Πολλά αιτήματα" if lang == "el" else "Too many requests"
    )
    check_page(page, f"promise-chased-twice-{lang}")


def outbox_link(site, reference: str, template: str) -> str:
    for message in site.api("GET", "/dev/outbox").json()["messages"]:
        text = str(message)
        if reference in text and template in text:
            return re.search(r"https?://[^\s'\"]+/callback/", text).group(0)
    raise AssertionError(f"no {template} message for {reference}")


@pytest.mark.parametrize("lang", ["el", "en"])
def test_a_missed_callback_says_so_and_offers_a_new_window(page, site, lang):
    page.set_viewport_size(PHONE)
    body = {"agency": "kep", "window_start": "asap", "phone": "6973333333", "language": lang}
    created = site.api("POST", "/callbacks", body)
    assert created.status_code == 201, created.text
    created = created.json()
    end = datetime.fromisoformat(created["window"]["end"])
    set_clock(site, end + timedelta(hours=1))

    open_page(
        page,
        f"{site.url}/{lang}/callback/status/#ref={created['reference']}&token={created['token']}",
    )
    expect(page.locator("[data-out=status]")).to_have_text("Χάθηκε" if lang == "el" else "Missed")
    again = page.locator("#missed a")
    expect(again).to_have_attribute("href", f"/{lang}/callback/")
    check_page(page, f"callback-missed-{lang}")

    link = outbox_link(site, created["reference"], "callback")
    assert urlsplit(link).path == f"/{lang}/callback/"
    open_page(page, f"{site.url}{urlsplit(link).path}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("input[name=agency]").first).to_be_visible()


def no_show_booking(site, serial: int, **extra) -> tuple[dict, datetime]:
    receipt = book(site, amka("040484", serial), **extra)
    start = datetime.fromisoformat(receipt["start"])
    set_clock(site, start + timedelta(minutes=40))
    return receipt, start


def open_day(page, site, lang: str, start: datetime) -> None:
    sign_in(page, site, "katerina", lang)
    open_page(
        page, f"{site.url}/{lang}/agent/branch/#branch=kep-athens-syntagma&date={start.date()}"
    )


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_desk_offers_only_allowed_actions_and_a_late_check_in_with_a_reason(page, site, lang):
    receipt, start = no_show_booking(site, 10 if lang == "el" else 11)
    token = site.token("katerina")
    day = site.api(
        "GET",
        f"/branch/kep-athens-syntagma/day?date={start.date()}",
        Authorization=f"Bearer {token}",
    ).json()["bookings"]
    booking = next(b for b in day if b["code"] == receipt["code"])
    if booking["status"] != "no_show":
        marked = site.as_agent(
            "katerina",
            "POST",
            f"/branch/kep-athens-syntagma/bookings/{receipt['code']}/no-show",
            {"version": booking["version"]},
        )
        assert marked.status_code == 200, marked.text

    open_day(page, site, lang, start)
    row = page.locator(f"tr[data-code='{receipt['code']}']")
    late = "Καθυστερημένη προσέλευση" if lang == "el" else "Late check-in"
    expect(row.get_by_role("button", name=re.compile(late))).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^(Check in|Προσέλευση) "))).to_have_count(0)
    expect(row).not_to_contain_text("late-check-in")
    row.get_by_role("button", name=re.compile(late)).click()
    reason = page.locator("#late-check-in [name=note]")
    expect(reason).to_be_focused()
    page.locator("#late-check-in button[type=submit]").click()
    expect(page.locator("#late-check-in .govgr-error-message")).to_be_visible()
    expect(reason).to_have_attribute("aria-invalid", "true")
    check_page(page, f"desk-late-reason-{lang}")
    reason.fill("Ήρθε με καθυστέρηση λόγω απεργίας")
    page.locator("#late-check-in button[type=submit]").click()
    expect(row).to_contain_text("Προσήλθε" if lang == "el" else "Checked in")
    expect(page.locator("#late-check-in")).to_be_hidden()
    check_page(page, f"desk-late-done-{lang}")


ACC = {
    "el": ("Διερμηνέας νοηματικής γλώσσας", "Διερμηνέα", "Γλώσσα διερμηνείας", "Σημείωση"),
    "en": ("A sign language interpreter", "An interpreter", "Interpreter's language", "Note"),
}


@pytest.mark.parametrize("lang", ["el", "en"])
def test_booking_asks_for_sign_language_an_interpreter_and_a_note_and_the_desk_sees_them(
    page, site, lang
):
    page.set_viewport_size(PHONE)
    sign, interpreter, language, note = ACC[lang]
    open_page(page, f"{site.url}/{lang}/book/")
    page.locator("input[name=service][value=kep-certificate]").check()
    next_step(page)
    form = page.locator("form[data-step=needs]")
    expect(form.get_by_label(language)).to_be_hidden()
    form.get_by_label(sign, exact=True).check()
    form.get_by_label(interpreter, exact=True).check()
    expect(form.get_by_label(language)).to_be_visible()
    form.get_by_role("textbox", name=re.compile(f"^{note}")).fill("x" * 190)
    expect(form.locator("#f-accommodation_note-count")).to_contain_text("10")
    check_page(page, f"book-needs-promises-{lang}")
    next_step(page)
    expect(form.locator("#error-summary, .govgr-error-message").first).to_be_visible()
    form.get_by_label(language).fill("Ουκρανικά" if lang == "el" else "Ukrainian")
    form.get_by_role("textbox", name=re.compile(f"^{note}")).fill("Έρχομαι με αναπηρικό αμαξίδιο")
    next_step(page)
    page.locator("input[name=branch][value=kep-athens-syntagma]").check()
    next_step(page)
    choose_a_time(page)
    next_step(page)
    page.locator("[name='citizen.full_name']").fill("Άννα Γεωργίου")
    page.locator("[name='citizen.amka']").fill(amka("050590", 20 if lang == "el" else 21))
    page.locator("[name='citizen.email']").fill("anna@example.gr")
    next_step(page)
    summary = page.locator("form[data-step=check] .govgr-summary-list")
    for text in (sign, "Ουκρανικά" if lang == "el" else "Ukrainian", "αναπηρικό αμαξίδιο"):
        expect(summary).to_contain_text(text)
    check_page(page, f"book-check-promises-{lang}")
    next_step(page)
    expect(page.locator("[data-out=manage]")).to_have_attribute("href", re.compile("token="))
    manage = page.locator("[data-out=manage]").get_attribute("href")
    code, token = re.search(r"#code=([^&]+)&token=(.+)$", manage).groups()
    booked = site.api("GET", f"/bookings/{code}", **{"X-Manage-Token": token}).json()
    assert booked["interpreter_language"] and booked["accommodation_note"]

    start = datetime.fromisoformat(booked["start"])
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, site, "katerina", lang)
    open_page(
        page, f"{site.url}/{lang}/agent/branch/#branch=kep-athens-syntagma&date={start.date()}"
    )
    row = page.locator(f"tr[data-code='{code}']")
    for text in (sign, "Ουκρανικά" if lang == "el" else "Ukrainian", "αναπηρικό αμαξίδιο"):
        expect(row).to_contain_text(text)
    check_page(page, f"desk-accommodations-{lang}")


def slot_at_nine(site) -> dict:
    today = datetime.fromisoformat(site.api("GET", "/health").json()["time"]).date()
    for week in range(6):
        first = today + timedelta(days=7 * week + 1)
        query = (
            f"service=kep-certificate&mode=in_person&from={first}&to={first + timedelta(days=6)}"
        )
        slots = site.api("GET", f"/branches/kep-athens-syntagma/availability?{query}").json()[
            "slots"
        ]
        for slot in slots:
            if (
                datetime.fromisoformat(slot["start"]).astimezone(ATHENS).strftime("%H:%M")
                == "09:00"
            ):
                return slot
    raise AssertionError("no free 09:00 slot")


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_console_look_up_shows_a_booking_at_nine_in_athens_time(browser, site, lang):
    site.rebind()
    person = {
        "full_name": "Ώρα Αθήνας",
        "amka": amka("060606", 30 if lang == "el" else 31),
        "email": "ora@example.gr",
    }
    slot = slot_at_nine(site)
    body = {"branch": "kep-athens-syntagma", "service": "kep-certificate", "start": slot["start"]}
    booked = site.api("POST", "/bookings", {**body, "citizen": person})
    assert booked.status_code == 201, booked.text
    # An agent whose computer is set to UTC still sees Athens times.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="UTC")
    page = context.new_page()
    try:
        sign_in(page, site, "sofia", lang)
        open_page(page, f"{site.url}/{lang}/agent/citizen/")
        page.locator("select[name=kind]").select_option("amka")
        page.locator("[name=value]").fill(person["amka"])
        page.locator("[name=reason]").fill("Ο πολίτης τηλεφώνησε για το ραντεβού")
        page.locator("#lookup button[type=submit]").click()
        row = page.locator("tr[data-kind=booking]")
        expect(row).to_contain_text("09:00")
        expect(row).not_to_contain_text("07:00")
        check_page(page, f"console-look-up-athens-{lang}")
    finally:
        context.close()

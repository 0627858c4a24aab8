"""Citizen journeys never dead-end, ask before cancelling, and check each answer as it is given."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import requests
from browser_checks import BLOCKING, axe_violations, check_page, open_page
from playwright.sync_api import expect
from test_appointments_and_callbacks import (
    PERSON,
    amka,
    book,
    choose_a_time,
    next_step,
    week_settled,
)

from chalicelib.domain.calendar import ATHENS

PHONE = {"width": 375, "height": 740}
TEXT = {
    "el": {
        "choose_time": "Επιλέξτε ώρα",
        "amka_check": "Ο ΑΜΚΑ δεν είναι έγκυρος. Ελέγξτε τα ψηφία.",
        "phone_format": "Δώστε ελληνικό αριθμό",
        "afm_check": "Ο ΑΦΜ δεν είναι έγκυρος",
        "contact": "e-mail ή κινητό",
        "cancel": "Ακύρωση του ραντεβού",
        "yes_cancel": "Ναι, να ακυρωθεί",
        "next_week": "Επόμενη εβδομάδα",
        "change": "Αλλαγή",
    },
    "en": {
        "choose_time": "Choose a time",
        "amka_check": "The AMKA is not valid. Check the digits.",
        "phone_format": "Give a Greek number",
        "afm_check": "The AFM (tax number) is not valid",
        "contact": "e-mail or a mobile",
        "cancel": "Cancel the appointment",
        "yes_cancel": "Yes, cancel it",
        "next_week": "Next week",
        "change": "Change",
    },
}
both = pytest.mark.parametrize("lang", ["el", "en"])


def on_phone(page) -> None:
    page.set_viewport_size(PHONE)


def step(page) -> str:
    return page.locator("form[data-step]:not([hidden])").get_attribute("data-step")


def to_time_step(page, site, lang: str, service="kep-certificate", branch="kep-athens-syntagma"):
    open_page(page, f"{site.url}/{lang}/book/")
    page.locator(f"input[name=service][value={service}]").check()
    next_step(page)
    next_step(page)
    page.locator(f"input[name=branch][value={branch}]").check()
    next_step(page)
    expect(page.locator("form[data-step=time]")).to_be_visible()


def to_details_step(page, site, lang: str) -> None:
    to_time_step(page, site, lang)
    choose_a_time(page)
    next_step(page)
    expect(page.locator("form[data-step=details]")).to_be_visible()


def a_week_with_times(page, scope: str = "") -> None:
    """Follows the week view's offer when the week shown has no free time left."""
    week_settled(page)
    offer = page.locator(f"{scope} [data-week-offer]".strip())
    if offer.count():
        offer.click()
    expect(page.locator(f"{scope} input[name=day]".strip()).first).to_be_attached()


def next_saturday_evening(site) -> datetime:
    now = datetime.fromisoformat(site.api("GET", "/health").json()["time"]).astimezone(ATHENS)
    days = (5 - now.weekday()) % 7 or 7
    day = (now + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, 19, 0, tzinfo=ATHENS)


# 1. Dead ends ---------------------------------------------------------------------------


@both
def test_callback_days_without_a_free_window_are_not_offered(page, site, lang):
    site.api("POST", "/dev/clock", {"set": next_saturday_evening(site).isoformat()})
    on_phone(page)
    open_page(page, f"{site.url}/{lang}/callback/")
    page.locator("input[name=agency][value=efka]").check()
    next_step(page)

    days = page.locator("input[name=day]:not([value=asap])")
    expect(days.first).to_be_attached()
    offered = [days.nth(i).get_attribute("value") for i in range(days.count())]
    assert offered, "no day offered"
    for day in offered:
        free = site.api("GET", f"/callback-windows?agency=efka&date={day}").json()
        assert any(w["remaining"] > 0 for w in free), f"{day} offered without a free window"
    check_page(page)
    days.first.check()
    next_step(page)
    expect(page.locator("input[name=window_start]").first).to_be_visible()


@both
def test_a_booking_week_past_the_horizon_cannot_continue_and_offers_a_week_with_times(
    page, site, lang
):
    on_phone(page)
    to_time_step(page, site, lang)
    week_settled(page)
    for _ in range(7):
        button = page.get_by_role("button", name=TEXT[lang]["next_week"])
        if button.is_disabled():
            break
        button.click()
        page.wait_for_timeout(200)
        week_settled(page)

    next_step(page)

    expect(page.locator("#error-summary")).to_contain_text(TEXT[lang]["choose_time"])
    assert step(page) == "time"
    offer = page.locator("[data-week-offer]")
    expect(offer).to_be_visible()
    check_page(page)
    offer.click()
    expect(page.locator("input[name=day]").first).to_be_attached()


# 2. Cancel by accident --------------------------------------------------------------------


@both
def test_the_manage_page_asks_before_cancelling_and_then_says_so(page, site, lang):
    receipt = book(site, amka("030303", 3 if lang == "el" else 4))
    open_page(
        page,
        f"{site.url}/{lang}/appointments/#code={receipt['code']}&token={receipt['manage_token']}",
    )

    expect(page.locator("#cancel-confirm")).to_be_hidden()
    page.get_by_role("button", name=TEXT[lang]["cancel"]).click()
    expect(page.locator("#cancel-confirm")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=TEXT[lang]["yes_cancel"]).click()

    expect(page.locator("#changes")).to_be_hidden()
    expect(page.locator("#notice")).to_be_focused()


@both
def test_cancelling_a_callback_asks_first_and_the_button_goes_afterwards(page, site, lang):
    created = site.api(
        "POST", "/callbacks", {"agency": "kep", "window_start": "asap", "phone": "6971111119"}
    ).json()
    open_page(
        page,
        f"{site.url}/{lang}/callback/status/#ref={created['reference']}&token={created['token']}",
    )
    confirm = page.locator("#cancel-confirm")
    expect(confirm).to_be_hidden()

    page.locator("#cancel-open").click()
    expect(confirm).to_be_visible()
    expect(page.locator("#cancel")).to_be_focused()
    check_page(page)
    page.locator("#cancel").click()

    expect(page.locator("[data-out=status]")).to_have_text(re.compile("Ακυρωμένο|Cancelled"))
    expect(page.locator("#cancel-open")).to_be_hidden()
    expect(page.locator("#cancel")).to_be_hidden()
    expect(page.locator("#notice")).to_be_focused()


# 3. Validation as each step is left ---------------------------------------------------------


@both
def test_a_wrong_amka_is_refused_at_its_step_and_the_field_clears_when_fixed(page, site, lang):
    on_phone(page)
    to_details_step(page, site, lang)
    page.locator("[name='citizen.full_name']").fill(PERSON["full_name"])
    amka_field = page.locator("[name='citizen.amka']")
    amka_field.fill("15038512340")
    page.locator("[name='citizen.email']").fill("maria.k@example.gr")

    next_step(page)

    assert step(page) == "details"
    expect(page.locator("#error-summary")).to_contain_text(TEXT[lang]["amka_check"])
    expect(page.locator("#f-citizen-amka-error")).to_contain_text(TEXT[lang]["amka_check"])
    expect(amka_field).to_have_attribute("aria-invalid", "true")
    check_page(page)
    amka_field.fill(amka("010170", 1))
    expect(amka_field).not_to_have_attribute("aria-invalid", "true")
    next_step(page)
    assert step(page) == "check"


@both
def test_booking_says_which_contact_is_needed_and_asks_for_one(page, site, lang):
    to_details_step(page, site, lang)
    expect(page.locator("form[data-step=details]")).to_contain_text(TEXT[lang]["contact"])
    page.locator("[name='citizen.full_name']").fill(PERSON["full_name"])
    page.locator("[name='citizen.amka']").fill(amka("010170", 1))
    page.locator("[name='citizen.phone']").fill("12345")

    next_step(page)

    assert step(page) == "details"
    expect(page.locator("#f-citizen-phone-error")).to_contain_text(TEXT[lang]["phone_format"])
    page.locator("[name='citizen.phone']").fill("")
    next_step(page)
    expect(page.locator("#error-summary")).to_contain_text(TEXT[lang]["contact"])


@both
def test_callback_phone_and_case_afm_are_checked_at_their_step(page, site, lang):
    open_page(page, f"{site.url}/{lang}/callback/")
    page.locator("input[name=agency][value=kep]").check()
    next_step(page)
    page.locator("input[name=day][value=asap]").check()
    next_step(page)
    page.locator("[name=phone]").fill("123")
    next_step(page)
    assert step(page) == "phone"
    expect(page.locator("#f-phone-error")).to_contain_text(TEXT[lang]["phone_format"])

    open_page(page, f"{site.url}/{lang}/ask/")
    page.locator("input[name=agency]").first.check()
    next_step(page)
    page.locator("input[name=topic]").first.check()
    next_step(page)
    page.locator("[name=subject]").fill("Ερώτηση")
    page.locator("[name=description]").fill("Περιγραφή του θέματος.")
    next_step(page)
    page.locator("[name='citizen.full_name']").fill("Ελένη Παππά")
    page.locator("[name='citizen.email']").fill("eleni@example.gr")
    page.locator("[name='citizen.afm']").fill("123456789")
    next_step(page)
    assert step(page) == "details"
    expect(page.locator("#f-citizen-afm-error")).to_contain_text(TEXT[lang]["afm_check"])


# 4. A day, then its times ---------------------------------------------------------------------


@both
def test_the_time_step_shows_one_day_of_times_on_a_phone(page, site, lang):
    on_phone(page)
    to_time_step(page, site, lang)
    a_week_with_times(page)
    days = page.locator("input[name=day]")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2500, f"the time step is {height}px tall on a phone"
    days.first.check()
    times = page.locator("input[name=start]")
    expect(times.first).to_be_visible()
    assert times.count() <= 40
    check_page(page)
    times.first.check()
    next_step(page)
    assert step(page) == "details"


# 5. Loose ends -------------------------------------------------------------------------------


@both
def test_change_on_the_check_page_comes_back_to_it(page, site, lang):
    open_page(page, f"{site.url}/{lang}/ask/")
    page.locator("input[name=agency]").first.check()
    next_step(page)
    page.locator("input[name=topic]").first.check()
    next_step(page)
    page.locator("[name=subject]").fill("Ερώτηση")
    page.locator("[name=description]").fill("Περιγραφή του θέματος.")
    next_step(page)
    page.locator("[name='citizen.full_name']").fill("Ελένη Παππά")
    page.locator("[name='citizen.email']").fill("eleni@example.gr")
    next_step(page)
    page.locator("[name=consent]").check()
    next_step(page)
    assert step(page) == "check"

    page.locator("[data-summary] a").nth(2).click()
    assert step(page) == "question"
    page.locator("[name=subject]").fill("Άλλη ερώτηση")
    next_step(page)

    expect(page.locator("form[data-step=check]")).to_be_visible()
    expect(page.locator("[data-summary]")).to_contain_text("Άλλη ερώτηση")


@both
def test_focus_goes_to_the_news_after_a_reschedule(page, site, lang):
    receipt = book(site, amka("050505", 5 if lang == "el" else 6))
    open_page(
        page,
        f"{site.url}/{lang}/appointments/#code={receipt['code']}&token={receipt['manage_token']}",
    )
    page.locator("#reschedule-open").click()
    a_week_with_times(page, "#reschedule")
    page.locator("#reschedule input[name=day]").first.check()
    page.locator("#reschedule input[name=start]").last.check()
    page.locator("#reschedule button[type=submit]").click()

    expect(page.locator("#notice")).to_be_focused()


@both
def test_a_wrong_tracking_code_says_what_to_check_and_where_to_get_help(page, site, lang):
    open_page(page, f"{site.url}/{lang}/track/")
    page.locator("[name=reference]").fill("C-AAAA-BBBB")
    page.locator("[name=token]").fill("wrong")
    page.locator("#lookup button[type=submit], form button[type=submit]").first.click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(re.compile("Ελέγξτε|Check"))
    expect(summary.locator(f"a[href='/{lang}/callback/']")).to_be_visible()
    check_page(page)


def test_the_appointment_changed_message_opens_the_manage_page(page, site):
    receipt = book(site, amka("070707", 7))
    code, token = receipt["code"], receipt["manage_token"]
    headers = {"X-Manage-Token": token}
    later = datetime.fromisoformat(receipt["start"]) + timedelta(days=1)
    slots = site.api(
        "GET",
        f"/branches/kep-athens-syntagma/availability?service=kep-certificate"
        f"&from={later.date()}&to={(later + timedelta(days=10)).date()}",
    ).json()["slots"]
    moved = site.api(
        "POST", f"/bookings/{code}/reschedule", {"start": slots[0]["start"]}, **headers
    )
    assert moved.status_code == 200, moved.text

    changed = [m for m in site.runtime.outbox.messages(limit=200) if code in str(m)]
    assert f"#code={code}&token={token}" in str(changed[0])


@both
def test_an_unknown_address_gets_a_styled_page_in_the_language(page, site, lang):
    response = requests.get(f"{site.url}/{lang}/no-such-page/", timeout=10)
    assert response.status_code == 404
    assert f'lang="{lang}"' in response.text

    page.goto(f"{site.url}/{lang}/no-such-page/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(f"a[href='/{lang}/']").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == lang
    assert not [v for v in axe_violations(page) if v["impact"] in BLOCKING]


def test_the_greek_title_reads_anaforas():
    from frontend.build import load_messages

    assert load_messages()["el"]["ask"]["title"].endswith("ή αναφοράς προβλήματος")


@both
def test_summary_list_labels_and_values_do_not_touch(page, site, lang):
    receipt = book(site, amka("080808", 8 if lang == "el" else 9))
    for size in (PHONE, {"width": 1280, "height": 800}):
        page.set_viewport_size(size)
        open_page(
            page,
            f"{site.url}/{lang}/appointments/#code={receipt['code']}&token={receipt['manage_token']}",
        )
        expect(page.locator("#booking")).to_be_visible()
        row = page.locator(".govgr-summary-list__row").nth(2)
        key = row.locator("dt").bounding_box()
        value = row.locator("dd").bounding_box()
        gap_across = value["x"] - (key["x"] + key["width"])
        gap_down = value["y"] - (key["y"] + key["height"])
        assert max(gap_across, gap_down) >= 8, (size, key, value)

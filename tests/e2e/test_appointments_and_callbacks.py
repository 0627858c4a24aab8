"""Citizens book, manage and cancel appointments and ask to be called back; staff serve them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from browser_checks import check_page, open_page, settle
from playwright.sync_api import expect
from test_console import sign_in


def amka(birth: str, serial: int) -> str:
    """A valid AMKA: date of birth (DDMMYY), a serial, and the Luhn check digit."""
    body = f"{birth}{serial:04d}"
    total = 0
    for i, digit in enumerate(reversed(body)):
        d = int(digit) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


PERSON = {"full_name": "Άννα Γεωργίου", "amka": amka("150385", 1234), "email": "anna@example.gr"}


def next_step(page) -> None:
    page.locator("form:not([hidden]) button[type=submit]").click()


def server_today(site) -> date:
    return datetime.fromisoformat(site.api("GET", "/health").json()["time"]).date()


def first_free_slot(site, branch: str, service: str, mode: str = "in_person") -> dict:
    start = server_today(site)
    for week in range(5):
        days = {
            "service": service,
            "mode": mode,
            "from": (start + timedelta(days=7 * week)).isoformat(),
            "to": (start + timedelta(days=7 * week + 6)).isoformat(),
        }
        query = "&".join(f"{k}={v}" for k, v in days.items())
        slots = site.api("GET", f"/branches/{branch}/availability?{query}").json()["slots"]
        if slots:
            return slots[0]
    raise AssertionError("no free slot in five weeks")


def book(site, amka: str, service="kep-certificate", branch="kep-athens-syntagma"):
    slot = first_free_slot(site, branch, service)
    body = {
        "branch": branch,
        "service": service,
        "start": slot["start"],
        "citizen": {**PERSON, "amka": amka},
    }
    response = site.api("POST", "/bookings", body)
    assert response.status_code == 201, response.text
    return response.json()


def week_settled(page) -> None:
    """Waits until the week view shows its days, or what to do when it has none."""
    page.wait_for_selector(
        "[data-week-days] input[name=day], [data-week-offer], [data-week-days] a"
    )


def choose_a_time(page) -> None:
    """Picks the first free time, moving on a week while the shown one has none."""
    days = page.locator("form[data-step=time] input[name=day]")
    for _ in range(5):
        week_settled(page)
        if days.count():
            days.first.check()
            page.locator("form[data-step=time] input[name=start]").first.check()
            return
        page.get_by_role("button", name=re.compile("Επόμενη εβδομάδα|Next week")).click()
    raise AssertionError("no free time offered")


def test_citizen_books_an_appointment_gets_the_calendar_file_and_cancels_it(page, site):
    open_page(page, f"{site.url}/el/book/")
    page.get_by_label("Έκδοση πιστοποιητικού").check()
    check_page(page, "book-service")
    next_step(page)
    expect(page.locator("[data-modes]")).to_be_hidden()
    check_page(page, "book-needs")
    next_step(page)
    branch = page.get_by_label("ΚΕΠ Δήμου Αθηναίων - Σύνταγμα")
    expect(page.locator("form[data-step=branch]")).to_contain_text("Φιλελλήνων 10")
    branch.check()
    check_page(page, "book-branch")
    next_step(page)
    choose_a_time(page)
    check_page(page, "book-week")
    next_step(page)
    page.get_by_label("Ονοματεπώνυμο").fill(PERSON["full_name"])
    page.get_by_label("ΑΜΚΑ").fill("15038512340")
    page.get_by_label("E-mail").fill("maria.k@example.gr")
    next_step(page)
    check_page(page, "book-check")
    next_step(page)
    expect(page.locator("#error-summary")).to_contain_text("Ο ΑΜΚΑ δεν είναι έγκυρος")
    page.locator("#error-summary a").first.click()
    expect(page.get_by_label("ΑΜΚΑ")).to_be_focused()
    page.get_by_label("ΑΜΚΑ").fill(amka("010170", 1))
    next_step(page)
    next_step(page)

    expect(page.locator("h1")).to_have_text("Το ραντεβού σας κλείστηκε")
    code = page.locator("[data-out=code]").inner_text()
    expect(page.locator("[data-out=where]")).to_contain_text("Φιλελλήνων 10")
    expect(page.locator("[data-video]")).to_be_hidden()
    check_page(page, "book-confirmation")
    ics = page.locator("[data-out=ics]").get_attribute("href")
    calendar = site.api("GET", ics.removeprefix("/api/v1"))
    assert calendar.status_code == 200 and "BEGIN:VCALENDAR" in calendar.text
    manage_token = page.locator("[data-out=manage]").get_attribute("href").split("token=")[1]
    assert manage_token not in ics  # the calendar link carries the read-only token
    page.locator("[data-out=manage]").click()
    settle(page)

    expect(page.locator("[data-out=code]")).to_have_text(code)
    expect(page.locator("[data-out=status]")).to_have_text("Επιβεβαιωμένο")
    check_page(page, "manage-appointment")
    ics_on_manage_page = page.locator("[data-out=ics]").get_attribute("href")
    assert ics_on_manage_page.endswith(ics.split("token=")[1])
    page.get_by_role("button", name="Ακύρωση του ραντεβού").click()
    page.get_by_role("button", name="Ναι, να ακυρωθεί").click()
    expect(page.locator("[data-out=status]")).to_have_text("Ακυρωμένο")
    expect(page.locator("[data-notice]")).to_have_text("Το ραντεβού σας ακυρώθηκε.")
    expect(page.locator("#changes")).to_be_hidden()


def test_a_video_appointment_shows_the_join_link_instead_of_an_address(page, site):
    open_page(page, f"{site.url}/en/book/")
    page.get_by_label("Pension consultation").check()
    next_step(page)
    page.get_by_label("Video call").check()
    next_step(page)
    page.get_by_label("e-EFKA Athens local branch").check()
    next_step(page)
    choose_a_time(page)
    next_step(page)
    page.get_by_label("Full name").fill("Petros Example")
    page.get_by_label("AMKA").fill(amka("020280", 2))
    page.get_by_label("Mobile phone").fill("6944444444")
    next_step(page)
    next_step(page)

    expect(page.locator("h1")).to_have_text("Your appointment is booked")
    expect(page.locator("[data-out=where]")).to_have_text("Video call")
    join = page.get_by_role("link", name="Join the video call")
    expect(join).to_have_attribute("href", re.compile(r"^https://.+/join/"))
    expect(page.locator("[data-in-person]")).to_be_hidden()
    check_page(page, "book-video-confirmation")


def test_citizen_moves_an_appointment_to_another_free_time(page, site):
    receipt = book(site, amka("030382", 3))
    open_page(
        page, f"{site.url}/en/appointments/#code={receipt['code']}&token={receipt['manage_token']}"
    )
    expect(page.locator("[data-out=status]")).to_have_text("Confirmed")

    page.get_by_role("button", name="Change the time").click()
    page.locator("#reschedule input[name=day]").last.check()
    times = page.locator("#reschedule input[name=start]")
    expect(times.first).to_be_visible()
    other = next(
        times.nth(i)
        for i in range(times.count())
        if times.nth(i).get_attribute("value") != receipt["start"]
    )
    new_start = other.get_attribute("value")
    other.check()
    check_page(page, "manage-reschedule")
    page.get_by_role("button", name="Move my appointment to this time").click()

    expect(page.locator("[data-notice]")).to_have_text("Your appointment has been moved.")
    shown = site.api(
        "GET", f"/bookings/{receipt['code']}", **{"X-Manage-Token": receipt["manage_token"]}
    )
    assert shown.json()["start"] == new_start


def test_citizen_asks_to_be_called_back_as_soon_as_possible_and_cancels(page, site):
    open_page(page, f"{site.url}/en/callback/")
    page.get_by_label("OPEKA (Welfare Benefits)").check()
    check_page(page, "callback-agency")
    next_step(page)
    page.get_by_label("As soon as possible").check()
    check_page(page, "callback-day")
    next_step(page)
    page.get_by_label("Your phone number").fill("123")
    next_step(page)
    next_step(page)
    expect(page.locator("#error-summary")).to_contain_text("Give a Greek number")
    page.locator("#error-summary a").first.click()
    page.get_by_label("Your phone number").fill("6971234567")
    next_step(page)
    check_page(page, "callback-check")
    next_step(page)

    expect(page.locator("h1")).to_have_text("We will call you")
    expect(page.locator("[data-out=reference]")).to_have_text(re.compile(r"^CB-"))
    expect(page.locator("[data-out=when]")).to_contain_text("6971234567")
    check_page(page, "callback-confirmation")
    page.locator("[data-out=status]").click()
    settle(page)
    expect(page.locator("[data-out=status]")).to_have_text("Scheduled")
    check_page(page, "callback-status")
    page.get_by_role("button", name="Cancel the call").click()
    page.get_by_role("button", name="Yes, cancel the call").click()
    expect(page.locator("[data-notice]")).to_have_text("Your callback request has been cancelled.")


def test_callback_link_from_the_confirmation_message_opens_the_status_page(page, site):
    created = site.api(
        "POST", "/callbacks", {"agency": "kep", "window_start": "asap", "phone": "6971111111"}
    ).json()

    open_page(page, f"{site.url}/el/callback/#ref={created['reference']}&token={created['token']}")

    expect(page).to_have_url(re.compile(r"/el/callback/status/#ref="))
    settle(page)
    expect(page.locator("[data-out=status]")).to_have_text("Προγραμματισμένη")


def test_agent_takes_the_next_callback_and_records_the_outcome(page, site):
    created = site.api(
        "POST", "/callbacks", {"agency": "opeka", "window_start": "asap", "phone": "6972222222"}
    ).json()
    now = datetime.fromisoformat(site.api("GET", "/health").json()["time"])
    window = datetime.fromisoformat(created["window"]["start"])
    if window > now:
        site.api("POST", "/dev/clock", {"set": (window + timedelta(minutes=1)).isoformat()})

    sign_in(page, site, "maria", "en")
    page.get_by_role("link", name="Callbacks").click()
    settle(page)
    page.get_by_role("button", name="Take the next callback").click()
    expect(page.locator("[data-out=call]")).to_have_text(re.compile(r"Call \+30"))
    check_page(page, "console-callback")
    reference = page.locator("[data-out=details]").inner_text()
    page.get_by_label("Note (optional)").fill("Answered about the benefit.")
    page.get_by_role("button", name="Reached").click()

    expect(page.locator("[data-notice]")).to_have_text("Outcome recorded.")
    expect(page.locator("#outcome")).to_be_hidden()
    assert "Reference" in reference


def test_branch_staff_check_a_citizen_in_and_mark_them_served(page, site):
    receipt = book(site, amka("040484", 4))
    start = datetime.fromisoformat(receipt["start"])
    site.api("POST", "/dev/clock", {"set": (start - timedelta(minutes=5)).isoformat()})

    sign_in(page, site, "katerina", "en")
    page.get_by_role("link", name="Branch day").click()
    settle(page)
    page.get_by_label("Day").fill(start.date().isoformat())
    page.get_by_role("button", name="Show the day").click()
    row = page.locator(f"tr[data-code='{receipt['code']}']")
    expect(row).to_contain_text("Άννα Γεωργίου")
    check_page(page, "console-branch-day")
    row.get_by_role("button", name="Check in").click()
    expect(row).to_contain_text("Checked in")
    row.get_by_role("button", name="Served").click()
    expect(row).to_contain_text("Served")


def test_agent_looks_up_a_citizen_and_sees_their_requests(page, site):
    case = site.api(
        "POST",
        "/cases",
        {
            "agency": "efka",
            "topic": "pension",
            "subject": "Single view",
            "description": "Where is my pension?",
            "consent": True,
            "citizen": {"full_name": "Look Up", "email": "lookup@example.gr"},
        },
    ).json()
    sign_in(page, site, "sofia", "en")
    page.get_by_role("link", name="Citizen look-up").click()
    settle(page)
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#error-summary")).to_contain_text("Enter what to look for")

    page.get_by_label("Look up by").select_option("email")
    page.get_by_label("Value").fill("lookup@example.gr")
    page.get_by_label("Why you are looking this citizen up").fill("Citizen called about pension")
    page.get_by_role("button", name="Look up").click()

    expect(page.get_by_role("link", name=case["reference"])).to_be_visible()
    check_page(page, "console-citizen")

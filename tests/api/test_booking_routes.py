"""The appointment routes of the public HTTP contract, as a citizen's browser sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_fixtures import (
    CERTIFICATE,
    PENSION,
    SIGNATURE,
    STRIKE_DAY,
    SYNTAGMA,
    amka,
)
from icalendar import Calendar
from support import TODAY, TOMORROW, assert_problem, at

from chalicelib.adapters.table import KeyRange
from chalicelib.domain.bookings import Mode

NEXT_WEEK = (TODAY + timedelta(days=6)).isoformat(), (TODAY + timedelta(days=12)).isoformat()
AVAILABILITY = f"/api/v1/branches/{SYNTAGMA}/availability"


def body(when=None, n: int = 1, **changes) -> dict:
    citizen = {"full_name": f"Πολίτης {n}", "amka": amka(n), "email": f"c{n}@example.gr"}
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "start": (when or at(TOMORROW, 10)).isoformat(),
        "mode": "in_person",
        "language": "el",
        "citizen": citizen,
        **changes,
    }


def book(api, when=None, n: int = 1, **changes) -> dict:
    response = api.post("/api/v1/bookings", body(when, n, **changes))
    assert response.status == 201, response.body
    return response.body


def remaining(api, start, service=CERTIFICATE) -> int:
    day = start.date().isoformat()
    slots = api.get(f"{AVAILABILITY}?service={service}&from={day}&to={day}").body["slots"]
    return next((s["remaining"] for s in slots if s["start"] == start.isoformat()), 0)


def nothing_booked(api) -> bool:
    table = api.runtime.table
    slots = table.query(f"SLOTS#{SYNTAGMA}#{CERTIFICATE}#in_person", KeyRange(low="2"))
    return not table.query(f"BRANCHDAY#{SYNTAGMA}#{TOMORROW}", index="gsi1") and all(
        s.get("booked", 0) == 0 for s in slots
    )


def manage(code: str, token: str) -> dict:
    return {"X-Manage-Token": token}


# --- reference data ------------------------------------------------------------------


def test_services_are_listed_with_duration_and_modes(api):
    response = api.get("/api/v1/services")

    assert response.status == 200
    pension = next(s for s in response.body if s["id"] == PENSION)
    assert pension["modes"] == ["in_person", "video"]
    assert pension["duration_minutes"] == 20
    assert pension["name"]["el"] and pension["name"]["en"]


def test_branches_offering_a_service_are_listed_and_filtered_by_accommodation(api):
    everyone = api.get(f"/api/v1/branches?service={CERTIFICATE}")
    step_free = api.get(f"/api/v1/branches?service={CERTIFICATE}&accommodations=step_free_access")

    assert {b["id"] for b in everyone.body} == {SYNTAGMA, "kep-thessaloniki-center"}
    assert [b["id"] for b in step_free.body] == [SYNTAGMA]
    syntagma = step_free.body[0]
    assert syntagma["address"].startswith("Φιλελλήνων")
    assert syntagma["modes"] == ["in_person"]
    assert CERTIFICATE in syntagma["services"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("service=nothing", "service"), ("mode=carrier-pigeon", "mode"), ("colour=red", "colour")],
)
def test_branches_with_a_bad_query_are_a_422(api, query, field):
    response = api.get(f"/api/v1/branches?{query}")

    assert_problem(response, 422, "validation")
    assert field in response.problem_fields


# --- availability --------------------------------------------------------------------


def test_availability_for_next_week_lists_free_slots_in_athens_time(api):
    first, last = NEXT_WEEK

    response = api.get(f"{AVAILABILITY}?service={CERTIFICATE}&from={first}&to={last}")

    assert response.status == 200
    slots = response.body["slots"]
    assert slots[0] == {
        "start": "2026-12-07T09:00:00+02:00",
        "end": "2026-12-07T09:10:00+02:00",
        "remaining": 2,
    }
    assert not any(s["start"].startswith(STRIKE_DAY.isoformat()) for s in slots)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        (f"service={CERTIFICATE}&from=2026-13-01&to=2026-12-10", 422, "from"),
        (f"service={CERTIFICATE}&from=tomorrow&to=2026-12-10", 422, "from"),
        (f"service={CERTIFICATE}&from=2026-12-01", 422, "to"),
        ("from=2026-12-01&to=2026-12-02", 422, "service"),
        (f"service={CERTIFICATE}&from=2026-12-09&to=2026-12-01", 422, "to"),
        (f"service={CERTIFICATE}&from=2026-12-01&to=2027-03-01", 422, "to"),
        (f"service={PENSION}&from=2026-12-01&to=2026-12-02", 422, "service"),
        (f"service={CERTIFICATE}&from=2026-12-01&to=2026-12-02&mode=video", 422, "mode"),
    ],
    ids=[
        "bad-month",
        "not-a-date",
        "missing-to",
        "missing-service",
        "reversed",
        "too-long",
        "not-offered",
        "mode",
    ],
)
def test_availability_with_bad_input_is_a_422_naming_the_field(api, query, status, field):
    response = api.get(f"{AVAILABILITY}?{query}", headers={"Accept-Language": "en"})

    assert_problem(response, status, "validation")
    assert field in response.problem_fields
    assert all(e["message"] for e in response.body["errors"])


def test_availability_of_an_unknown_branch_is_a_404(api):
    response = api.get(
        f"/api/v1/branches/kep-atlantis/availability?service={CERTIFICATE}"
        "&from=2026-12-01&to=2026-12-02"
    )

    assert_problem(response, 404, "not-found")


# --- booking ---------------------------------------------------------------------------


def test_booking_returns_a_code_and_token_and_the_place_is_counted(api):
    response = api.post("/api/v1/bookings", body())

    assert response.status == 201
    receipt = response.body
    assert receipt["status"] == "confirmed"
    assert receipt["code"].startswith("B-")
    assert receipt["start"] == "2026-12-02T10:00:00+02:00"
    assert receipt["end"] == "2026-12-02T10:10:00+02:00"
    assert receipt["manage_token"] and receipt["calendar_url"].endswith(receipt["calendar_token"])
    assert receipt["manage_token"] not in receipt["calendar_url"]
    assert remaining(api, at(TOMORROW, 10)) == 1


def test_a_second_active_booking_for_the_same_service_is_a_409(api):
    book(api)

    response = api.post("/api/v1/bookings", body(at(TOMORROW, 11)))

    assert_problem(response, 409, "already-booked")
    assert remaining(api, at(TOMORROW, 11)) == 2
    assert api.post("/api/v1/bookings", body(at(TOMORROW, 11), service=SIGNATURE)).status == 201


def test_a_full_slot_is_a_409_slot_full(api):
    book(api, n=1)
    book(api, n=2)

    response = api.post("/api/v1/bookings", body(n=3), headers={"Accept-Language": "en"})

    assert_problem(response, 409, "slot-full")
    assert response.body["title"].startswith("This time has no place left")
    assert remaining(api, at(TOMORROW, 10)) == 0


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"branch": "kep-atlantis"}, 422, "branch"),
        ({"service": "nothing"}, 422, "service"),
        ({"start": at(TOMORROW, 10, 5).isoformat()}, 422, "start"),
        ({"start": at(STRIKE_DAY, 10).isoformat()}, 422, "start"),
        ({"start": at(TODAY, 8).isoformat()}, 422, "start"),
        ({"start": "2026-12-02 somewhen"}, 422, "start"),
        ({"start": "2026-12-02T10:00:00"}, 422, "start"),
        ({"mode": "video"}, 422, "mode"),
        ({"accommodations": ["a-pony"]}, 422, "accommodations.0"),
        (
            {"citizen": {"full_name": "Χ", "amka": "15038512341", "email": "x@example.gr"}},
            422,
            "citizen.amka",
        ),
        ({"citizen": {"full_name": "Χ", "email": "x@example.gr"}}, 422, "citizen.amka"),
        ({"citizen": {"full_name": "Χ", "amka": amka(9)}}, 422, "citizen"),
        ({"colour": "red"}, 422, "colour"),
    ],
    ids=[
        "unknown-branch",
        "unknown-service",
        "off-boundary",
        "closed-day",
        "past",
        "malformed-time",
        "no-offset",
        "mode",
        "accommodation",
        "bad-amka",
        "no-amka",
        "no-contact",
        "unknown-field",
    ],
)
def test_booking_with_bad_input_is_a_problem_and_changes_nothing(api, changes, status, field):
    response = api.post("/api/v1/bookings", body(**changes))

    assert_problem(response, status, "validation")
    assert field in response.problem_fields
    assert nothing_booked(api)


def test_a_body_that_is_not_json_is_a_400(api):
    response = api.post("/api/v1/bookings", raw=b"{not json")

    assert_problem(response, 400, "bad-request")
    assert nothing_booked(api)


def test_booking_honours_the_idempotency_key(api):
    key = {"Idempotency-Key": "9b1f6c1e-retry"}

    first = api.post("/api/v1/bookings", body(), headers=key)
    again = api.post("/api/v1/bookings", body(), headers=key)
    other = api.post("/api/v1/bookings", body(at(TOMORROW, 11)), headers=key)

    assert first.status == again.status == 201
    assert again.body == first.body
    assert_problem(other, 422, "idempotency-mismatch")
    assert remaining(api, at(TOMORROW, 10)) == 1


def test_a_blocked_citizen_is_told_until_when(api):
    blocked_until = at(TOMORROW, 12) + timedelta(days=30)
    api.runtime.ctx.bookings.block(amka(1), CERTIFICATE, blocked_until)

    response = api.post("/api/v1/bookings", body(), headers={"Accept-Language": "en"})

    assert_problem(response, 409, "booking-blocked")
    assert "01/01/2027" in response.body["detail"]


# --- managing ----------------------------------------------------------------------------


def test_the_booking_is_shown_with_its_manage_token_and_hidden_otherwise(api):
    receipt = book(api)
    code, token = receipt["code"], receipt["manage_token"]

    shown = api.get(f"/api/v1/bookings/{code}", headers=manage(code, token))
    wrong = api.get(f"/api/v1/bookings/{code}", headers=manage(code, "nope"))
    missing = api.get(f"/api/v1/bookings/{code}")
    garbled = api.get("/api/v1/bookings/B-NOPE-NOPEX", headers=manage(code, token))

    assert shown.status == 200
    assert shown.body["status"] == "confirmed" and shown.body["code"] == code
    assert "manage_token" not in shown.body
    for response in (wrong, missing, garbled):
        assert_problem(response, 404, "not-found")


def test_cancelling_frees_the_place(api):
    receipt = book(api)

    response = api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel",
        headers=manage(receipt["code"], receipt["manage_token"]),
    )

    assert response.status == 200
    assert response.body["status"] == "cancelled"
    assert remaining(api, at(TOMORROW, 10)) == 2
    again = api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel",
        headers=manage(receipt["code"], receipt["manage_token"]),
    )
    assert_problem(again, 409, "invalid-state")


def test_cancelling_with_a_wrong_token_is_a_404_and_keeps_the_booking(api):
    receipt = book(api)

    response = api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel", headers={"X-Manage-Token": "x"}
    )

    assert_problem(response, 404, "not-found")
    assert remaining(api, at(TOMORROW, 10)) == 1


def test_rescheduling_moves_the_place_and_a_bad_start_changes_nothing(api):
    receipt = book(api)
    headers = manage(receipt["code"], receipt["manage_token"])
    path = f"/api/v1/bookings/{receipt['code']}/reschedule"

    refused = api.post(path, {"start": at(STRIKE_DAY, 10).isoformat()}, headers=headers)
    malformed = api.post(path, {"start": "next tuesday"}, headers=headers)
    moved = api.post(path, {"start": at(TOMORROW, 12).isoformat()}, headers=headers)

    assert_problem(refused, 422, "validation")
    assert_problem(malformed, 422, "validation")
    assert moved.status == 200
    assert moved.body["start"] == "2026-12-02T12:00:00+02:00"
    assert remaining(api, at(TOMORROW, 10)) == 2
    assert remaining(api, at(TOMORROW, 12)) == 1


def test_rescheduling_to_a_full_slot_is_a_409_and_keeps_the_old_place(api):
    receipt = book(api, n=1)
    book(api, at(TOMORROW, 12), n=2)
    book(api, at(TOMORROW, 12), n=3)

    response = api.post(
        f"/api/v1/bookings/{receipt['code']}/reschedule",
        {"start": at(TOMORROW, 12).isoformat()},
        headers=manage(receipt["code"], receipt["manage_token"]),
    )

    assert_problem(response, 409, "slot-full")
    assert remaining(api, at(TOMORROW, 10)) == 1


def test_after_the_cut_off_the_citizen_is_sent_to_the_branch(api):
    receipt = book(api)
    api.runtime.clock.set(at(TOMORROW, 9))

    response = api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel",
        headers=manage(receipt["code"], receipt["manage_token"]),
    )

    assert_problem(response, 409, "change-closed")


def test_the_calendar_file_is_served_with_the_read_only_calendar_token_in_the_query(api):
    receipt = book(api)

    response = api.get(
        f"/api/v1/bookings/{receipt['code']}/calendar.ics?token={receipt['calendar_token']}"
    )
    refused = api.get(f"/api/v1/bookings/{receipt['code']}/calendar.ics?token=wrong")

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.body).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(TOMORROW, 10)
    assert "Φιλελλήνων" in str(event["location"])
    assert_problem(refused, 404, "not-found")


def test_a_video_booking_carries_its_join_link(api):
    response = api.post(
        "/api/v1/bookings",
        body(
            at(TOMORROW, 10, 5),
            branch="efka-athens-center",
            service=PENSION,
            mode="video",
        ),
    )

    assert response.status == 201
    assert response.body["mode"] == "video"
    assert response.body["join_url"].startswith("https://")


# --- waitlist ----------------------------------------------------------------------------


def fill(api) -> dict:
    admin = api.token("katerina")
    hours = {"wed": [["10:00", "10:10"]]}
    api.request(
        "PUT", f"/api/v1/branch/{SYNTAGMA}/hours", {"version": 0, "hours": hours}, token=admin
    )
    api.request(
        "PUT",
        f"/api/v1/branch/{SYNTAGMA}/capacity",
        {"version": 1, "service": CERTIFICATE, "in_person": 1},
        token=admin,
    )
    return book(api)


def waitlist_body(n: int) -> dict:
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "date": TOMORROW.isoformat(),
        "citizen": {"full_name": f"Πολίτης {n}", "amka": amka(n), "phone": "+306912345678"},
    }


def test_a_full_day_waitlist_offers_a_cancelled_place_to_confirm(api):
    receipt = fill(api)
    joined = api.post("/api/v1/waitlist", waitlist_body(2))
    assert joined.status == 201
    entry, token = joined.body["id"], joined.body["manage_token"]

    api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel",
        headers=manage(receipt["code"], receipt["manage_token"]),
    )
    api.runtime.run_due()  # the worker offers the freed place (within a second in `make run`)
    shown = api.get(f"/api/v1/waitlist/{entry}", headers={"X-Manage-Token": token})
    confirmed = api.post(f"/api/v1/waitlist/{entry}/confirm", headers={"X-Manage-Token": token})

    assert shown.body["status"] == "offered"
    assert shown.body["offer"]["start"] == "2026-12-02T10:00:00+02:00"
    assert confirmed.status == 201
    assert confirmed.body["status"] == "confirmed"
    assert remaining(api, at(TOMORROW, 10)) == 0


def test_joining_the_waitlist_of_a_day_with_free_places_is_a_409(api):
    response = api.post("/api/v1/waitlist", waitlist_body(2))

    assert_problem(response, 409, "day-not-full")


def test_leaving_the_waitlist_and_bad_waitlist_input(api):
    fill(api)
    joined = api.post("/api/v1/waitlist", waitlist_body(2)).body
    headers = {"X-Manage-Token": joined["manage_token"]}

    left = api.post(f"/api/v1/waitlist/{joined['id']}/leave", headers=headers)
    unknown = api.get("/api/v1/waitlist/W-0000-0000X", headers=headers)
    bad_date = api.post("/api/v1/waitlist", {**waitlist_body(3), "date": "02/12/2026"})

    assert left.status == 200 and left.body["status"] == "left"
    assert_problem(unknown, 404, "not-found")
    assert_problem(bad_date, 422, "validation")
    assert "date" in bad_date.problem_fields


# --- the clock moves: reminder and no-show ---------------------------------------------------


def test_moving_the_dev_clock_sends_the_reminder_and_records_a_no_show(api):
    tomorrow = book(api, at(TOMORROW, 10), n=1)
    today = book(api, at(TODAY, 12), n=2)

    moved = api.post("/api/v1/dev/clock", {"advance": "P1D"})

    assert moved.status == 200
    messages = api.get("/api/v1/dev/outbox").body["messages"]
    reminders = [m for m in messages if m["template"] == "booking_reminder"]
    assert [tomorrow["code"] in m["subject"] for m in reminders] == [True]
    missed = api.get(
        f"/api/v1/bookings/{today['code']}", headers=manage(today["code"], today["manage_token"])
    )
    assert missed.body["status"] == "no_show"
    assert api.runtime.ctx.bookings.active_code(amka(2), CERTIFICATE) is None
    assert api.runtime.ctx.bookings.booked(
        SYNTAGMA, CERTIFICATE, Mode.IN_PERSON, at(TODAY, 12), at(TODAY, 12)
    ) == {at(TODAY, 12): 1}


def test_sign_language_an_interpreters_language_and_a_note_reach_the_desk(api):
    needs = {
        "accommodations": ["sign_language", "interpreter"],
        "interpreter_language": "uk",
        "accommodation_note": "Έρχομαι με αμαξίδιο και συνοδό.",
    }
    receipt = book(api, at(TOMORROW, 10), **needs)

    mine = api.get(
        f"/api/v1/bookings/{receipt['code']}", headers={"X-Manage-Token": receipt["manage_token"]}
    ).body
    desk = api.get(
        f"/api/v1/branch/{SYNTAGMA}/day?date={TOMORROW}", token=api.token("katerina")
    ).body["bookings"][0]

    for view in (receipt, mine, desk):
        assert view["accommodations"] == ["interpreter", "sign_language"]
        assert view["interpreter_language"] == "uk"
        assert view["accommodation_note"] == "Έρχομαι με αμαξίδιο και συνοδό."
    assert book(api, at(TOMORROW, 11), 2)["interpreter_language"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accommodation_note": "x" * 201}, "accommodation_note"),
        ({"interpreter_language": "<script>"}, "interpreter_language"),
        ({"interpreter_language": "x" * 41}, "interpreter_language"),
    ],
)
def test_accommodation_details_are_validated(api, changes, field):
    response = api.post("/api/v1/bookings", body(at(TOMORROW, 10), **changes))

    assert_problem(response, 422, "validation")
    assert response.body["errors"][0]["field"] == field


def test_the_manage_token_never_opens_the_calendar_file_and_the_calendar_token_changes_nothing(
    api,
):
    receipt = book(api)
    code, calendar_token = receipt["code"], receipt["calendar_token"]
    shown = api.get(f"/api/v1/bookings/{code}", headers=manage(code, receipt["manage_token"]))

    by_manage_token = api.get(
        f"/api/v1/bookings/{code}/calendar.ics?token={receipt['manage_token']}"
    )
    read = api.get(f"/api/v1/bookings/{code}", headers=manage(code, calendar_token))
    cancelled = api.post(f"/api/v1/bookings/{code}/cancel", headers=manage(code, calendar_token))
    moved = api.post(
        f"/api/v1/bookings/{code}/reschedule",
        {"start": at(TOMORROW, 11).isoformat()},
        headers=manage(code, calendar_token),
    )

    assert shown.body["calendar_token"] == calendar_token
    for refused in (by_manage_token, read, cancelled, moved):
        assert_problem(refused, 404, "not-found")
    assert remaining(api, at(TOMORROW, 10)) == 1  # still booked, not moved

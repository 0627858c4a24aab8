"""The callback routes of the public HTTP contract, as a citizen, an agent and a supervisor
see them, over the demo configuration (data/callbacks.json)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import CASE_BODY, PHONE, START, TOMORROW, at

from chalicelib.adapters.callback_items import lock_key


def iso(day, hour, minute=0):
    return at(day, hour, minute).isoformat()


def body(window_start=None, phone=PHONE, **changes):
    return {
        "agency": "efka",
        "window_start": window_start or iso(TOMORROW, 8),
        "phone": phone,
        "language": "el",
        **changes,
    }


def request(api, payload=None, **kwargs):
    response = api.post("/api/v1/callbacks", payload or body(), **kwargs)
    assert response.status == 201, response.body
    return response.body


def windows(api, day=TOMORROW, agency="efka"):
    response = api.get(f"/api/v1/callback-windows?agency={agency}&date={day.isoformat()}")
    assert response.status == 200, response.body
    return {w["start"]: w["remaining"] for w in response.body}


def advance(api, **delta):
    api.runtime.clock.advance(timedelta(**delta))
    api.runtime.run_due()


def outcome(api, user, reference, what, **extra):
    version = api.get(f"/api/v1/agent/callbacks/{reference}", token=api.token(user)).body["version"]
    return api.post(
        f"/api/v1/agent/callbacks/{reference}/outcome",
        {"outcome": what, "version": version, **extra},
        token=api.token(user),
    )


def assert_nothing_booked(api):
    assert windows(api)[iso(TOMORROW, 8)] == 4
    assert api.runtime.table.get(lock_key("efka", PHONE)) is None


# --- windows and booking --------------------------------------------------------------


def test_windows_of_a_day_list_start_end_and_places_left(api):
    response = api.get(f"/api/v1/callback-windows?agency=efka&date={TOMORROW}")

    assert response.status == 200
    first = response.body[0]
    assert first == {"start": iso(TOMORROW, 8), "end": iso(TOMORROW, 8, 30), "remaining": 4}
    assert response.body[-1]["end"] == iso(TOMORROW, 16)


def test_each_agency_has_its_teams_windows_and_more_agents_mean_more_places(api):
    opeka = api.get(f"/api/v1/callback-windows?agency=opeka&date={TOMORROW}").body
    dypa = api.get(f"/api/v1/callback-windows?agency=dypa&date={TOMORROW}").body

    assert {"start": iso(TOMORROW, 9), "end": iso(TOMORROW, 9, 30), "remaining": 6} in opeka
    assert opeka[-1]["end"] == iso(TOMORROW, 20)
    assert dypa[0] == {"start": iso(TOMORROW, 9), "end": iso(TOMORROW, 10), "remaining": 4}


def test_a_citizen_books_a_callback_for_tomorrow_and_sees_it_with_the_token(api):
    receipt = request(api)

    assert receipt["status"] == "scheduled"
    assert receipt["reference"].startswith("CB-")
    assert receipt["window"] == {"start": iso(TOMORROW, 8), "end": iso(TOMORROW, 8, 30)}
    seen = api.get(
        f"/api/v1/callbacks/{receipt['reference']}", headers={"X-Tracking-Token": receipt["token"]}
    )
    assert seen.status == 200
    assert seen.body["status"] == "scheduled"
    assert seen.body["phone"] == "+30691****678"
    assert windows(api)[iso(TOMORROW, 8)] == 3


def test_a_full_window_is_a_409_window_full_problem(api):
    for n in range(4):
        request(api, body(phone=f"+30690000000{n}"))

    response = api.post("/api/v1/callbacks", body(phone="+306900000009"))

    assert response.status == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.body["type"] == "/problems/window-full"
    assert windows(api)[iso(TOMORROW, 8)] == 0


def test_the_same_phone_cannot_hold_two_open_callbacks_with_an_agency(api):
    request(api)

    response = api.post("/api/v1/callbacks", body(iso(TOMORROW, 10)))

    assert response.status == 409
    assert response.body["type"] == "/problems/callback-exists"


def test_asap_takes_the_earliest_window_with_room(api):
    receipt = request(api, body("asap"))

    assert receipt["window"]["start"] == iso(START.date(), 9)


def test_an_idempotent_retry_returns_the_first_receipt_and_another_body_is_a_422(api):
    key = {"Idempotency-Key": "3f1c-callback"}

    first = request(api, headers=key)
    again = api.post("/api/v1/callbacks", body(), headers=key)
    other = api.post("/api/v1/callbacks", body(iso(TOMORROW, 10)), headers=key)

    assert (again.status, again.body) == (201, first)
    assert other.status == 422 and other.body["type"] == "/problems/idempotency-mismatch"
    assert windows(api)[iso(TOMORROW, 8)] == 3


@pytest.mark.parametrize(
    ("change", "field", "greek"),
    [
        ({"phone": "+44 7911 123456"}, "phone", "ελληνικούς"),
        ({"phone": "12345"}, "phone", "ελληνικό αριθμό"),
        ({"window_start": iso(START.date(), 8, 30)}, "window_start", "έχει ήδη αρχίσει"),
        ({"window_start": iso(TOMORROW, 8, 10)}, "window_start", "Δεν είναι διάστημα"),
        ({"agency": "dypa"}, "window_start", "Δεν είναι διάστημα"),
        ({"window_start": "tomorrow"}, "window_start", "asap"),
        ({"window_start": "2026-12-02T08:00:00"}, "window_start", "ζώνη ώρας"),
        ({"agency": "nasa"}, "agency", "Άγνωστος φορέας"),
        ({"topic": "moon"}, "topic", "Άγνωστο θέμα"),
        ({"language": "fr"}, "language", "Επιλέξτε"),
        ({"extra": 1}, "extra", "Άγνωστο πεδίο"),
    ],
    ids=[
        "foreign-phone",
        "malformed-phone",
        "past-window",
        "misaligned-window",
        "window-of-another-agency",
        "not-a-time",
        "no-offset",
        "unknown-agency",
        "unknown-topic",
        "unknown-language",
        "unknown-field",
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_books_nothing(api, change, field, greek):
    response = api.post("/api/v1/callbacks", body(**change))

    assert response.status == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.problem_fields == {field}
    assert greek in response.body["errors"][0]["message"]
    assert_nothing_booked(api)


def test_field_messages_come_in_english_when_asked(api):
    response = api.post(
        "/api/v1/callbacks",
        body(phone="+44 7911 123456"),
        headers={"Accept-Language": "en"},
    )

    assert response.body["errors"][0]["message"] == "Only Greek numbers (+30) are accepted."


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_a_400(api, raw):
    response = api.request("POST", "/api/v1/callbacks", raw=raw)

    assert response.status == 400
    assert_nothing_booked(api)


@pytest.mark.parametrize(
    ("query", "field"),
    [("agency=efka&date=2-12-2026", "date"), ("agency=nasa&date=2026-12-02", "agency")],
)
def test_windows_for_a_bad_date_or_agency_are_a_422(api, query, field):
    response = api.get(f"/api/v1/callback-windows?{query}")

    assert response.status == 422
    assert response.problem_fields == {field}


# --- the citizen's own callback --------------------------------------------------------


def test_a_wrong_token_looks_like_an_unknown_callback_and_cancelling_needs_the_token(api):
    receipt = request(api)
    path = f"/api/v1/callbacks/{receipt['reference']}"

    wrong = api.get(path, headers={"X-Tracking-Token": "guess"})
    refused = api.post(path + "/cancel")
    unknown = api.get("/api/v1/callbacks/CB-0000-00000", headers={"X-Tracking-Token": "x"})

    assert (wrong.status, refused.status, unknown.status) == (404, 404, 404)
    assert windows(api)[iso(TOMORROW, 8)] == 3


def test_a_citizen_cancels_and_the_place_is_free_again(api):
    receipt = request(api)
    token = {"X-Tracking-Token": receipt["token"]}

    cancelled = api.post(f"/api/v1/callbacks/{receipt['reference']}/cancel", headers=token)
    again = api.post(f"/api/v1/callbacks/{receipt['reference']}/cancel", headers=token)

    assert cancelled.status == 200 and cancelled.body["status"] == "cancelled"
    assert again.status == 409 and again.body["type"] == "/problems/invalid-state"
    assert windows(api)[iso(TOMORROW, 8)] == 4


def test_a_citizen_with_a_case_token_links_the_callback_and_sees_it_with_the_case(api):
    case = api.post("/api/v1/cases", CASE_BODY).body
    token = {"X-Tracking-Token": case["tracking_token"]}

    receipt = request(api, body(case_reference=case["reference"]), headers=token)
    listed = api.get(f"/api/v1/cases/{case['reference']}/callbacks", headers=token)
    tracked = api.get(f"/api/v1/cases/{case['reference']}", headers=token)

    assert receipt["case_reference"] == case["reference"]
    assert [c["reference"] for c in listed.body["callbacks"]] == [receipt["reference"]]
    assert "callback_scheduled" in [e["action"] for e in tracked.body["timeline"]]


def test_a_case_cannot_be_linked_without_its_token(api):
    case = api.post("/api/v1/cases", CASE_BODY).body

    response = api.post("/api/v1/callbacks", body(case_reference=case["reference"]))

    assert response.status == 422
    assert response.problem_fields == {"case_reference"}
    assert_nothing_booked(api)


# --- agents and supervisors ------------------------------------------------------------


def test_agent_routes_need_a_valid_token(api):
    assert api.post("/api/v1/agent/callbacks/next").status == 401
    assert api.post("/api/v1/agent/callbacks/next", token="forged").status == 401
    assert api.get("/api/v1/supervisor/missed-callbacks").status == 401


def test_claiming_when_nothing_is_due_is_a_404_no_callback_due_problem(api):
    request(api)

    response = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni"))

    assert response.status == 404
    assert response.body["type"] == "/problems/no-callback-due"


def test_a_callback_comes_due_is_claimed_retried_and_reached_with_its_case_resolved(api):
    case = api.post("/api/v1/cases", CASE_BODY).body
    token = {"X-Tracking-Token": case["tracking_token"]}
    ref = request(api, body(case_reference=case["reference"]), headers=token)["reference"]
    advance(api, hours=23)  # tomorrow 08:00

    claimed = api.post("/api/v1/agent/callbacks/next", token=api.token("petros"))
    missed = outcome(api, "petros", ref, "no_answer", note="Δεν απάντησε")
    too_early = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni"))
    advance(api, minutes=20)
    retried = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni"))
    reached = outcome(
        api, "eleni", ref, "reached", case_action="resolve", answer="Η σύνταξη εγκρίθηκε."
    )

    assert claimed.status == 200 and claimed.body["reference"] == ref
    assert claimed.body["owner"] == {"team": "efka-support", "agent": "petros"}
    assert missed.body["status"] == "scheduled" and missed.body["due_at"] == iso(TOMORROW, 8, 20)
    assert too_early.status == 404
    assert retried.body["reference"] == ref
    assert reached.status == 200 and reached.body["status"] == "reached"
    tracked = api.get(f"/api/v1/cases/{case['reference']}", headers=token).body
    assert tracked["status"] == "RESOLVED" and tracked["answer"] == "Η σύνταξη εγκρίθηκε."


def test_an_agent_books_during_a_call_and_the_callback_is_theirs_to_see(api):
    response = api.post("/api/v1/agent/callbacks", body("asap"), token=api.token("maria"))

    assert response.status == 201
    detail = api.get(
        f"/api/v1/agent/callbacks/{response.body['reference']}", token=api.token("maria")
    ).body
    assert detail["channel"] == "phone" and detail["requested_by"] == "maria"


def test_an_outcome_with_a_stale_version_or_a_bad_body_is_refused_and_changes_nothing(api):
    ref = request(api, body(iso(START.date(), 9)))["reference"]
    claimed = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni")).body
    path = f"/api/v1/agent/callbacks/{ref}/outcome"

    stale = api.post(
        path, {"outcome": "reached", "version": claimed["version"] - 1}, token=api.token("eleni")
    )
    unknown = api.post(
        path, {"outcome": "hung_up", "version": claimed["version"]}, token=api.token("eleni")
    )
    not_reached = api.post(
        path,
        {"outcome": "busy", "version": claimed["version"], "case_action": "resolve"},
        token=api.token("eleni"),
    )
    not_holder = api.post(
        path, {"outcome": "reached", "version": claimed["version"]}, token=api.token("petros")
    )

    assert stale.status == 409 and stale.body["type"] == "/problems/version-conflict"
    assert unknown.status == 422 and unknown.problem_fields == {"outcome"}
    assert not_reached.status == 422 and not_reached.problem_fields == {"case_action"}
    assert not_holder.status == 403
    after = api.get(f"/api/v1/agent/callbacks/{ref}", token=api.token("eleni")).body
    assert (after["status"], after["version"]) == ("claimed", claimed["version"])


def test_an_agent_of_another_agency_cannot_see_the_callback(api):
    ref = request(api)["reference"]

    response = api.get(f"/api/v1/agent/callbacks/{ref}", token=api.token("anna"))

    assert response.status == 404


def test_a_window_that_ends_unclaimed_shows_to_the_supervisor_as_missed(api):
    ref = request(api, body(iso(START.date(), 9)))["reference"]

    advance(api, minutes=30)
    view = api.get("/api/v1/supervisor/missed-callbacks", token=api.token("sofia"))
    agents = api.get("/api/v1/supervisor/missed-callbacks", token=api.token("maria"))

    assert view.status == 200
    assert [c["reference"] for c in view.body["callbacks"]] == [ref]
    assert view.body["missed_by_team"]["efka-support"] == 1
    assert agents.status == 403

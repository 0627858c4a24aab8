"""The case routes of the public HTTP contract, as a client sees them."""

from datetime import date, datetime, time, timedelta

import pytest
from support import CASE_BODY, START

from chalicelib.domain.local_time import ATHENS

CASE = CASE_BODY


def with_citizen(**changes):
    return {**CASE, "citizen": {**CASE["citizen"], **changes}}


def queue_size(api):
    return len(api.get("/api/v1/agent/queue", token=api.token("sofia")).body["cases"])


def submit(api, body=CASE, **kwargs):
    response = api.post("/api/v1/cases", body, **kwargs)
    assert response.status == 201, response.body
    return response.body


def test_submitting_a_case_returns_a_readable_reference_and_a_tracking_token(api):
    response = api.post("/api/v1/cases", CASE)

    assert response.status == 201
    body = response.body
    assert body["reference"].startswith("C-") and len(body["reference"]) == 12
    assert body["status"] == "NEW" and body["tier"] == 1
    assert body["owner"] == {"team": "first-line"}
    assert body["due_at"] > body["created_at"][:10]
    assert len(body["tracking_token"]) >= 32


@pytest.mark.parametrize(
    ("citizen", "field", "greek", "english"),
    [
        ({"amka": "12345678901"}, "citizen.amka", "ημερομηνία γέννησης", "date of birth"),
        ({"amka": "15038512341"}, "citizen.amka", "δεν είναι έγκυρος", "not valid"),
        ({"afm": "123456789"}, "citizen.afm", "ΑΦΜ", "AFM"),
        ({"phone": "+44 20 7946 0958"}, "citizen.phone", "ελληνικούς", "Greek"),
        ({"email": "not-an-email"}, "citizen.email", "e-mail", "e-mail"),
    ],
)
def test_a_bad_identifier_is_refused_with_a_field_message_in_greek_or_english(
    api, citizen, field, greek, english
):
    before = queue_size(api)

    in_greek = api.post("/api/v1/cases", with_citizen(**citizen))
    in_english = api.post(
        "/api/v1/cases", with_citizen(**citizen), headers={"Accept-Language": "en"}
    )

    assert in_greek.status == in_english.status == 422
    assert in_greek.headers["Content-Type"] == "application/problem+json"
    assert in_greek.body["type"] == "/problems/validation"
    [greek_error] = [e for e in in_greek.body["errors"] if e["field"] == field]
    [english_error] = [e for e in in_english.body["errors"] if e["field"] == field]
    assert greek in greek_error["message"]
    assert english in english_error["message"]
    assert queue_size(api) == before


def test_missing_fields_unknown_agency_and_no_consent_are_each_named(api):
    body = {**CASE, "agency": "nope", "consent": False}
    del body["subject"]

    response = api.post("/api/v1/cases", body, headers={"Accept-Language": "en"})
    unknown_agency = api.post("/api/v1/cases", {**CASE, "agency": "nope"})

    assert response.status == 422
    assert {"subject", "consent"} <= response.problem_fields
    assert unknown_agency.status == 422 and unknown_agency.problem_fields == {"agency"}


def test_a_citizen_must_give_a_way_to_be_answered(api):
    body = {**CASE, "citizen": {"full_name": "Α Β"}}

    response = api.post("/api/v1/cases", body)

    assert response.status == 422
    assert "e-mail" in response.body["errors"][0]["message"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_is_a_400(api, raw):
    response = api.post("/api/v1/cases", raw=raw)

    assert response.status == 400
    assert response.body["type"] == "/problems/bad-request"


def test_tracking_needs_the_token_and_a_wrong_one_looks_like_an_unknown_case(api):
    receipt = submit(api)
    ref = receipt["reference"]

    mine = api.get(f"/api/v1/cases/{ref}", headers={"X-Tracking-Token": receipt["tracking_token"]})
    wrong = api.get(f"/api/v1/cases/{ref}", headers={"X-Tracking-Token": "guess"})
    missing = api.get(f"/api/v1/cases/{ref}")
    unknown = api.get("/api/v1/cases/C-0000-00000", headers={"X-Tracking-Token": "guess"})
    typo = api.get(f"/api/v1/cases/{ref[:-1]}Z", headers={"X-Tracking-Token": "guess"})

    assert mine.status == 200 and mine.body["status"] == "NEW"
    assert mine.body["timeline"][0]["action"] == "opened"
    assert "description" not in mine.body and "history" not in mine.body
    assert wrong.status == missing.status == unknown.status == typo.status == 404
    assert wrong.body == unknown.body


def test_a_reference_read_over_the_phone_in_lower_case_with_spaces_is_found(api):
    receipt = submit(api)
    spoken = receipt["reference"].lower().replace("-", " ").replace(" ", "%20")

    response = api.get(
        f"/api/v1/cases/{spoken}", headers={"X-Tracking-Token": receipt["tracking_token"]}
    )

    assert response.status == 200 and response.body["reference"] == receipt["reference"]


def test_an_idempotent_retry_returns_the_first_response_and_another_body_is_a_422(api):
    key = {"Idempotency-Key": "5b2f3a3e-1c1d-4f7e-9a55-0d6a1c1e2b3c"}

    first = api.post("/api/v1/cases", CASE, headers=key)
    retry = api.post("/api/v1/cases", CASE, headers=key)
    other = api.post("/api/v1/cases", {**CASE, "subject": "Άλλο"}, headers=key)

    assert first.status == retry.status == 201
    assert retry.body == first.body
    assert other.status == 422 and other.body["type"] == "/problems/idempotency-mismatch"
    assert queue_size(api) == 1


def test_agent_routes_need_a_valid_token(api):
    none = api.get("/api/v1/agent/queue")
    forged = api.get("/api/v1/agent/queue", token="abc.def.ghi")

    assert none.status == forged.status == 401
    assert none.body["type"] == "/problems/unauthorized"


def test_an_agent_works_a_case_over_http_and_a_stale_version_gets_409(api):
    ref = submit(api)["reference"]
    maria = api.token("maria")

    queue = api.get("/api/v1/agent/queue", token=maria).body["cases"]
    claimed = api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria)
    noted = api.post(
        f"/api/v1/agent/cases/{ref}/note", {"version": 2, "note": "Κλήση"}, token=maria
    )
    stale = api.post(f"/api/v1/agent/cases/{ref}/note", {"version": 2, "note": "Ξανά"}, token=maria)
    asked = api.post(
        f"/api/v1/agent/cases/{ref}/request-info",
        {"version": 3, "question": "Αριθμός μητρώου;"},
        token=maria,
    )

    assert [c["reference"] for c in queue] == [ref]
    assert claimed.status == noted.status == asked.status == 200
    assert claimed.body["owner"] == {"team": "first-line", "agent": "maria"}
    assert stale.status == 409 and stale.body["type"] == "/problems/version-conflict"
    assert asked.body["status"] == "AWAITING_CITIZEN"
    assert [h["action"] for h in asked.body["history"]] == [
        "opened",
        "claimed",
        "note",
        "information_requested",
    ]


def test_the_citizen_answers_a_request_for_information_and_the_case_goes_back_to_the_agent(api):
    receipt = submit(api)
    ref, token = receipt["reference"], {"X-Tracking-Token": receipt["tracking_token"]}
    maria = api.token("maria")
    api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria)
    api.post(
        f"/api/v1/agent/cases/{ref}/request-info", {"version": 2, "question": "ΑΜ;"}, token=maria
    )

    empty = api.post(f"/api/v1/cases/{ref}/reply", {"text": ""}, headers=token)
    reply = api.post(f"/api/v1/cases/{ref}/reply", {"text": "ΑΜ 12345"}, headers=token)
    again = api.post(f"/api/v1/cases/{ref}/reply", {"text": "ΑΜ 12345"}, headers=token)

    assert empty.status == 422 and empty.problem_fields == {"text"}
    assert reply.status == 200 and reply.body["status"] == "ASSIGNED"
    assert again.status == 409 and again.body["type"] == "/problems/invalid-state"


def test_an_agent_of_another_team_cannot_see_or_touch_the_case(api):
    ref = submit(api)["reference"]
    eleni = api.token("eleni")

    seen = api.get(f"/api/v1/agent/cases/{ref}", token=eleni)
    claimed = api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=eleni)

    assert seen.status == claimed.status == 404


def test_an_unknown_action_and_a_bad_body_are_4xx_and_change_nothing(api):
    ref = submit(api)["reference"]
    maria = api.token("maria")

    unknown = api.post(f"/api/v1/agent/cases/{ref}/delete", {"version": 1}, token=maria)
    no_version = api.post(f"/api/v1/agent/cases/{ref}/claim", {}, token=maria)
    no_reason = api.post(f"/api/v1/agent/cases/{ref}/escalate", {"version": 1}, token=maria)

    assert unknown.status == 404
    assert no_version.status == 422 and no_version.problem_fields == {"version"}
    assert no_reason.status == 422 and no_reason.problem_fields == {"reason"}
    detail = api.get(f"/api/v1/agent/cases/{ref}", token=maria).body
    assert detail["version"] == 1 and detail["status"] == "NEW"


def test_moving_the_dev_clock_escalates_a_case_to_tier_2_then_tier_3_with_history(api):
    ref = submit(api)["reference"]
    sofia = api.token("sofia")

    to_tier_2 = api.post("/api/v1/dev/clock", {"advance": "PT8H"})
    tier_2 = api.get(f"/api/v1/agent/cases/{ref}", token=sofia).body
    api.post("/api/v1/dev/clock", {"advance": "P7D"})
    tier_3 = api.get(f"/api/v1/agent/cases/{ref}", token=sofia).body
    api.post("/api/v1/dev/clock", {"advance": "P30D"})
    breaches = api.get("/api/v1/supervisor/breaches", token=sofia).body["cases"]

    assert to_tier_2.status == 200 and to_tier_2.body["timers_fired"] >= 1
    assert tier_2["tier"] == 2 and tier_2["owner"]["team"] == "efka-support"
    assert tier_3["tier"] == 3 and tier_3["owner"]["team"] == "efka-backoffice"
    escalations = [h for h in tier_3["history"] if h["action"] == "escalated"]
    assert [(h["actor"], h["note"], h["to_owner"]) for h in escalations] == [
        ("system", "deadline", "efka-support"),
        ("system", "deadline", "efka-backoffice"),
    ]
    assert set(tier_3["time_by_tier"]) == {"1", "2", "3"}
    assert [c["reference"] for c in breaches] == [ref]


def test_only_supervisors_see_breaches(api):
    response = api.get("/api/v1/supervisor/breaches", token=api.token("maria"))

    assert response.status == 404
    assert response.body["type"] == "/problems/not-found"


def test_the_dev_clock_refuses_nonsense_and_never_goes_back(api):
    bad = api.post("/api/v1/dev/clock", {"advance": "8 hours"})
    back = api.post("/api/v1/dev/clock", {"set": "2020-01-01T00:00:00+02:00"})
    both = api.post("/api/v1/dev/clock", {"advance": "PT1H", "set": "2030-01-01T00:00:00+02:00"})

    assert bad.status == back.status == both.status == 422
    assert datetime.fromisoformat(api.get("/api/v1/dev/clock").body["now"]) == START


def test_a_citizen_chases_once_the_promised_date_has_passed_and_once_a_day(api):
    receipt = submit(api)
    ref, token = receipt["reference"], {"X-Tracking-Token": receipt["tracking_token"]}
    promised = date.fromisoformat(receipt["promised_by"])
    day_after = datetime.combine(promised + timedelta(days=1), time(), tzinfo=ATHENS)

    api.post("/api/v1/dev/clock", {"advance": "PT8H"})  # two tiers miss their own targets
    api.post("/api/v1/dev/clock", {"advance": "P7D"})
    early = api.post(f"/api/v1/cases/{ref}/chase", headers={**token, "Accept-Language": "en"})
    api.post("/api/v1/dev/clock", {"set": (day_after - timedelta(seconds=1)).isoformat()})
    on_the_day = api.post(f"/api/v1/cases/{ref}/chase", headers=token)
    api.post("/api/v1/dev/clock", {"set": day_after.isoformat()})
    chased = api.post(f"/api/v1/cases/{ref}/chase", headers=token)
    api.post("/api/v1/dev/clock", {"advance": "PT2H"})
    again = api.post(f"/api/v1/cases/{ref}/chase", headers=token)

    assert early.status == on_the_day.status == 409
    assert early.body["type"] == "/problems/not-yet-due"
    assert "promised" in early.body["title"]
    assert chased.status == 200 and chased.body["promised_by"] == promised.isoformat()
    assert again.status == 429 and again.body["type"] == "/problems/too-many-requests"
    assert again.headers["Retry-After"] == str(22 * 3600)


def test_the_receipt_and_the_citizens_view_promise_a_date_that_escalations_do_not_move(api):
    receipt = submit(api)
    ref, token = receipt["reference"], {"X-Tracking-Token": receipt["tracking_token"]}

    api.post("/api/v1/dev/clock", {"advance": "PT8H"})
    api.post("/api/v1/dev/clock", {"advance": "P7D"})
    view = api.get(f"/api/v1/cases/{ref}", headers=token).body

    assert view["tier"] == 3
    assert view["promised_by"] == receipt["promised_by"]
    promised = date.fromisoformat(receipt["promised_by"])
    statutory_end = datetime.combine(promised + timedelta(days=1), time(), tzinfo=ATHENS)
    assert datetime.fromisoformat(receipt["statutory_due_at"]) == statutory_end
    assert promised > START.date() + timedelta(days=60) and promised.weekday() < 5
    assert {"due_at", "statutory_due_at", "created_at"} <= set(view)


def test_a_citizen_not_satisfied_with_the_answer_reopens_the_case_within_the_window(api):
    receipt = submit(api)
    ref, token = receipt["reference"], {"X-Tracking-Token": receipt["tracking_token"]}
    maria = api.token("maria")
    api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria)
    api.post(f"/api/v1/agent/cases/{ref}/resolve", {"version": 2, "answer": "Όχι"}, token=maria)

    reopened = api.post(f"/api/v1/cases/{ref}/reopen", {"text": "Δεν απαντήθηκε"}, headers=token)
    queue = api.get("/api/v1/agent/queue", token=maria).body["cases"]

    assert reopened.status == 200 and reopened.body["status"] == "REOPENED"
    assert [c["reference"] for c in queue] == [ref]

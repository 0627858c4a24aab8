"""Every request of the HTTP contract costs at most three DynamoDB calls, never a Scan.

Over the DynamoDB store (moto), a botocore hook counts the calls the app's client makes while
each route answers one realistic request, against seeded data: a case, a callback, a booking,
a waitlist entry and an Open311 key. A route not walked here fails the test, so a new route
is counted from its first day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TODAY, TOMORROW, at

from app import app
from chalicelib.adapters.table import Key

DYNAMODB = pytest.mark.parametrize("table", ["dynamodb"], indirect=True)

THURSDAY = TOMORROW + timedelta(days=1)
LIMIT = 3
# Routes allowed more than LIMIT calls, each with its reason.
BOUNDS: dict[tuple[str, str], int] = {
    # New desks hand their places to the waitlist in the same request: 3 for the edit (read,
    # write, one query of the branch's lines), then per line where someone waits the offer
    # (the line, the slots, the offer's transaction, its timer) and the branch re-read.
    ("PUT", "/v1/branch/{branch}/capacity"): 8,
}
# The local outbox stands for SES: its writes are no DynamoDB call in a deployed stage.
NOT_DYNAMODB = ("PutItem:OUTBOX",)


@dataclass(frozen=True)
class Call:
    method: str
    route: str  # the route as the app declares it
    path: str  # the request, with {seeded} values
    status: int
    user: str | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    keep: str | None = None  # remembers the answer's code under this name
    # The timer worker runs after the request (uncounted: it is no request), as it would
    # within a second (locally) or a minute (AWS): a freed place is offered by it.
    worker: bool = False


BRANCH = f"/v1/branch/{SYNTAGMA}"
OPEN311_FORM = {"content-type": "application/x-www-form-urlencoded"}
CASE_TOKEN = {"X-Tracking-Token": "{case_token}"}
CALLBACK_TOKEN = {"X-Tracking-Token": "{callback_token}"}
BOOKING_TOKEN = {"X-Manage-Token": "{booking_token}"}
WAIT_TOKEN = {"X-Manage-Token": "{entry_token}"}
SURVEY_TOKEN = {"X-Survey-Token": "{survey_token}"}
CALLBACK = {"agency": "efka", "window_start": "{window}", "phone": "+306900000002"}
OPEN311 = {
    "service_code": "efka.contributions",
    "description": "Δεν έχει πιστωθεί η εισφορά",
    "first_name": "Γιάννης",
    "last_name": "Παπαδάκης",
    "email": "giannis@example.gr",
    "attribute[amka]": amka(7),
    "attribute[consent]": "true",
    "api_key": "{key}",
}


def _booking(n: int, hour: int) -> dict:
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "start": at(THURSDAY, hour).isoformat(),
        "mode": "in_person",
        "language": "el",
        "citizen": {"full_name": f"Πολίτης {n}", "amka": amka(n), "email": f"c{n}@example.gr"},
    }


def _waiting(n: int) -> dict:
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "date": TOMORROW.isoformat(),
        "citizen": {"full_name": f"Πολίτης {n}", "amka": amka(n), "phone": f"+30690000000{n}"},
    }


CALLS = [
    Call("GET", "/v1/health", "/v1/health", 200),
    Call("GET", "/v1/openapi.json", "/v1/openapi.json", 200),
    Call("GET", "/v1/agencies", "/v1/agencies", 200),
    Call("GET", "/v1/services", "/v1/services", 200),
    Call("GET", "/v1/branches", f"/v1/branches?service={CERTIFICATE}", 200),
    Call(
        "GET",
        "/v1/branches/{branch}/availability",
        f"/v1/branches/{SYNTAGMA}/availability?service={CERTIFICATE}&from={TODAY}&to={THURSDAY}",
        200,
    ),
    Call("GET", "/v1/callback-windows", f"/v1/callback-windows?agency=efka&date={TOMORROW}", 200),
    # a citizen and their case
    Call("POST", "/v1/cases", "/v1/cases", 201, body={**CASE_BODY, "subject": "Δεύτερη"}),
    Call("GET", "/v1/cases/{reference}", "/v1/cases/{case}", 200, headers=CASE_TOKEN),
    Call(
        "GET",
        "/v1/cases/{reference}/callbacks",
        "/v1/cases/{case}/callbacks",
        200,
        headers=CASE_TOKEN,
    ),
    Call(
        "POST",
        "/v1/cases/{reference}/reply",
        "/v1/cases/{case}/reply",
        409,  # the case does not await the citizen: refused after reading it
        body={"text": "Επιπλέον στοιχεία"},
        headers=CASE_TOKEN,
    ),
    Call("POST", "/v1/cases/{reference}/chase", "/v1/cases/{case}/chase", 409, headers=CASE_TOKEN),
    Call(
        "POST",
        "/v1/cases/{reference}/reopen",
        "/v1/cases/{case}/reopen",
        409,
        body={"text": "Δεν λύθηκε"},
        headers=CASE_TOKEN,
    ),
    # agents on cases
    Call("GET", "/v1/agent/queue", "/v1/agent/queue", 200, user="maria"),
    Call("GET", "/v1/agent/queue", "/v1/agent/queue?scope=mine", 200, user="anna"),
    Call("GET", "/v1/agent/queue", "/v1/agent/queue", 200, user="sofia"),
    Call("GET", "/v1/agent/cases/{reference}", "/v1/agent/cases/{case}", 200, user="maria"),
    Call(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/v1/agent/cases/{case}/claim",
        200,
        user="maria",
        body={"version": "{case_version}"},
    ),
    Call(
        "POST",
        "/v1/agent/cases",
        "/v1/agent/cases",
        201,
        user="maria",
        body={**CASE_BODY, "subject": "Τηλεφώνημα"},
    ),
    Call("GET", "/v1/supervisor/breaches", "/v1/supervisor/breaches", 200, user="sofia"),
    Call(
        "GET",
        "/v1/supervisor/kpis",
        f"/v1/supervisor/kpis?from={TODAY - timedelta(days=91)}&to={TODAY}",
        200,
        user="sofia",
    ),
    Call("GET", "/v1/public/transparency", "/v1/public/transparency", 200),
    Call(
        "POST",
        "/v1/agent/citizens/search",
        "/v1/agent/citizens/search",
        200,
        user="maria",
        body={"amka": CASE_BODY["citizen"]["amka"], "reason": "Τηλεφώνημα πολίτη"},
    ),
    Call("GET", "/v1/supervisor/access-log", "/v1/supervisor/access-log", 200, user="sofia"),
    Call(
        "POST",
        "/v1/supervisor/access-log/search",
        "/v1/supervisor/access-log/search",
        200,
        user="sofia",
        body={"amka": CASE_BODY["citizen"]["amka"], "reason": "Έλεγχος προσβάσεων"},
    ),
    # callbacks
    Call(
        "POST", "/v1/callbacks", "/v1/callbacks", 201, body={**CALLBACK, "phone": "+306900000004"}
    ),
    Call(
        "GET", "/v1/callbacks/{reference}", "/v1/callbacks/{callback}", 200, headers=CALLBACK_TOKEN
    ),
    Call("GET", "/v1/agent/callbacks", "/v1/agent/callbacks", 200, user="eleni"),
    Call(
        "POST",
        "/v1/agent/callbacks",
        "/v1/agent/callbacks",
        201,
        user="maria",
        body={**CALLBACK, "phone": "+306900000003", "window_start": "asap"},
    ),
    Call("POST", "/v1/agent/callbacks/next", "/v1/agent/callbacks/next", 200, user="eleni"),
    Call("GET", "/v1/agent/callbacks/{reference}", "/v1/agent/callbacks/{callback}", 200, "eleni"),
    Call(
        "POST",
        "/v1/agent/callbacks/{reference}/outcome",
        "/v1/agent/callbacks/{callback}/outcome",
        409,
        user="eleni",
        body={"outcome": "no_answer", "version": "{callback_version}"},
    ),
    Call("GET", "/v1/supervisor/missed-callbacks", "/v1/supervisor/missed-callbacks", 200, "sofia"),
    Call(
        "POST",
        "/v1/callbacks/{reference}/cancel",
        "/v1/callbacks/{callback}/cancel",
        200,
        headers=CALLBACK_TOKEN,
    ),
    # bookings
    Call("POST", "/v1/bookings", "/v1/bookings", 201, body=_booking(3, 11)),
    Call("GET", "/v1/bookings/{code}", "/v1/bookings/{booking}", 200, headers=BOOKING_TOKEN),
    Call(
        "GET",
        "/v1/bookings/{code}/calendar.ics",
        "/v1/bookings/{booking}/calendar.ics?token={calendar_token}",
        200,
    ),
    Call(
        "POST",
        "/v1/bookings/{code}/reschedule",
        "/v1/bookings/{booking}/reschedule",
        200,
        body={"start": at(THURSDAY, 12).isoformat()},
        headers=BOOKING_TOKEN,
        worker=True,
    ),
    Call(
        "POST",
        "/v1/bookings/{code}/cancel",
        "/v1/bookings/{booking}/cancel",
        200,
        headers=BOOKING_TOKEN,
    ),
    Call("POST", "/v1/waitlist", "/v1/waitlist", 201, body=_waiting(5)),
    Call("GET", "/v1/waitlist/{entry}", "/v1/waitlist/{entry}", 200, headers=WAIT_TOKEN),
    Call(
        "POST",
        "/v1/waitlist/{entry}/confirm",
        "/v1/waitlist/{entry}/confirm",
        201,  # the place freed by the reschedule above was offered
        headers=WAIT_TOKEN,
    ),
    Call(
        "POST", "/v1/waitlist/{entry}/leave", "/v1/waitlist/{entry}/leave", 409, headers=WAIT_TOKEN
    ),
    # branch staff
    Call("GET", "/v1/branch/{branch}/day", f"{BRANCH}/day?date={TOMORROW}", 200, "katerina"),
    Call("GET", "/v1/branch/{branch}/settings", f"{BRANCH}/settings", 200, "katerina"),
    Call(
        "POST",
        "/v1/branch/{branch}/bookings",
        f"{BRANCH}/bookings",
        201,
        user="katerina",
        body={
            "service": CERTIFICATE,
            "start": at(THURSDAY, 13).isoformat(),
            "channel": "phone",
            "citizen": {"full_name": "Πολίτης 4", "amka": amka(4)},
        },
        keep="booking2",
    ),
    Call(
        "GET",
        "/v1/branch/{branch}/bookings/{code}",
        f"{BRANCH}/bookings/{{booking2}}",
        200,
        "katerina",
    ),
    Call(
        "POST",
        "/v1/branch/{branch}/bookings/{code}/{action}",
        f"{BRANCH}/bookings/{{booking2}}/check-in",
        409,
        user="katerina",
        body={"version": 1},
    ),
    Call(
        "PUT",
        "/v1/branch/{branch}/capacity",
        f"{BRANCH}/capacity",
        200,
        user="katerina",
        body={"version": "{branch_version}", "service": CERTIFICATE, "in_person": 2},
    ),
    Call(
        "PUT",
        "/v1/branch/{branch}/hours",
        f"{BRANCH}/hours",
        200,
        user="katerina",
        body={"version": "{branch_version}", "hours": {"wed": [["10:00", "10:10"]]}},
    ),
    Call(
        "POST",
        "/v1/branch/{branch}/closures",
        f"{BRANCH}/closures",
        201,
        user="katerina",
        body={"version": "{branch_version}", "date": "2026-12-20", "reason": "Απεργία"},
    ),
    Call(
        "DELETE",
        "/v1/branch/{branch}/closures/{day}",
        f"{BRANCH}/closures/2026-12-20?version={{branch_version}}",
        200,
        user="katerina",
    ),
    Call(
        "POST",
        "/v1/branch/{branch}/no-show-blocks/lift",
        f"{BRANCH}/no-show-blocks/lift",
        404,  # no block to lift: refused after looking
        user="katerina",
        body={"amka": amka(9), "service": CERTIFICATE, "reason": "Λάθος καταγραφή"},
    ),
    # Open311
    Call("GET", "/open311/discovery.json", "/open311/discovery.json", 200),
    Call("GET", "/open311/discovery.xml", "/open311/discovery.xml", 200),
    Call("GET", "/open311/v2/services.json", "/open311/v2/services.json", 200),
    Call("GET", "/open311/v2/services.xml", "/open311/v2/services.xml", 200),
    Call(
        "GET",
        "/open311/v2/services/{service_file}",
        "/open311/v2/services/efka.contributions.json",
        200,
    ),
    Call("POST", "/open311/v2/requests.json", "/open311/v2/requests.json", 201, body=OPEN311),
    Call("POST", "/open311/v2/requests.xml", "/open311/v2/requests.xml", 201, body=OPEN311),
    Call(
        "GET",
        "/open311/v2/requests.json",
        "/open311/v2/requests.json?service_request_id={request}",
        200,
    ),
    Call(
        "GET",
        "/open311/v2/requests.xml",
        "/open311/v2/requests.xml?service_request_id={request}",
        200,
    ),
    Call("GET", "/open311/v2/requests/{request_file}", "/open311/v2/requests/{request}.json", 200),
    Call("GET", "/v1/admin/open311/keys", "/v1/admin/open311/keys", 200, "admin"),
    Call(
        "POST",
        "/v1/admin/open311/keys",
        "/v1/admin/open311/keys",
        201,
        "admin",
        {"client": "Δήμος"},
    ),
    Call(
        "DELETE", "/v1/admin/open311/keys/{key_id}", "/v1/admin/open311/keys/{key_id}", 204, "admin"
    ),
    # satisfaction surveys
    Call("GET", "/v1/surveys/{survey_id}", "/v1/surveys/{survey}", 200, headers=SURVEY_TOKEN),
    Call(
        "POST",
        "/v1/surveys/{survey_id}",
        "/v1/surveys/{survey}",
        200,
        body={"score": 4, "comment": "Ευχαριστώ"},
        headers=SURVEY_TOKEN,
    ),
    # erasure: the request records the order and its timer; the timer does the work
    Call(
        "POST",
        "/v1/admin/citizens/erase",
        "/v1/admin/citizens/erase",
        202,
        "admin",
        {"amka": CASE_BODY["citizen"]["amka"], "reason": "Αίτημα διαγραφής"},
        keep="erasure",
    ),
    Call("GET", "/v1/admin/erasures/{order_id}", "/v1/admin/erasures/{erasure}", 200, "admin"),
    # the roster
    Call("GET", "/v1/admin/agents", "/v1/admin/agents?team=efka-support", 200, "admin"),
    Call("GET", "/v1/admin/agents", "/v1/admin/agents", 200, "admin"),
    Call(
        "PUT",
        "/v1/admin/agents/{agent_id}",
        "/v1/admin/agents/petros",
        200,
        "admin",
        {"name": "Πέτρος Αντωνίου", "teams": ["efka-support", "efka-backoffice"], "version": 1},
    ),
    Call("GET", "/v1/admin/agents/{agent_id}", "/v1/admin/agents/petros", 200, "admin"),
    Call("DELETE", "/v1/admin/agents/{agent_id}", "/v1/admin/agents/petros", 200, "admin"),
]


# --- seeding and counting --------------------------------------------------------------


def _ok(response, status: int = 201) -> dict:
    assert response.status == status, response.body
    return response.body


def seed(api) -> dict[str, Any]:
    """A case, a callback, a booking that fills Wednesday, a waitlist entry, an Open311 key and
    request: the data the walked requests refer to."""
    staff = api.token("katerina")
    hours = {"wed": [["10:00", "10:10"]], "thu": [["08:00", "15:00"]]}
    _ok(api.request("PUT", f"/api{BRANCH}/hours", {"version": 0, "hours": hours}, token=staff), 200)
    capacity = {"version": 1, "service": CERTIFICATE, "in_person": 1}
    _ok(api.request("PUT", f"/api{BRANCH}/capacity", capacity, token=staff), 200)
    wednesday = {**_booking(1, 10), "start": at(TOMORROW, 10).isoformat()}
    booking = _ok(api.post("/api/v1/bookings", wednesday))
    entry = _ok(api.post("/api/v1/waitlist", _waiting(2)))
    case = _ok(api.post("/api/v1/cases", CASE_BODY))
    window = at(TOMORROW, 8).isoformat()
    linked = {**CALLBACK, "window_start": window, "case_reference": case["reference"]}
    tracking = {"X-Tracking-Token": case["tracking_token"]}
    callback = _ok(api.post("/api/v1/callbacks", linked, headers=tracking))
    key = _ok(
        api.post("/api/v1/admin/open311/keys", {"client": "FixMyStreet"}, token=api.token("admin"))
    )
    request = _ok(api.post("/api/open311/v2/requests.json", {**OPEN311, "api_key": key["api_key"]}))
    survey_id, survey_token = _survey(api)
    return {
        "survey": survey_id,
        "survey_token": survey_token,
        "case": case["reference"],
        "case_token": case["tracking_token"],
        "callback": callback["reference"],
        "callback_token": callback["token"],
        "booking": booking["code"],
        "booking_token": booking["manage_token"],
        "calendar_token": booking["calendar_token"],
        "entry": entry["id"],
        "entry_token": entry["manage_token"],
        "key": key["api_key"],
        "key_id": key["id"],
        "request": request[0]["service_request_id"],
        "window": window,
    }


def _survey(api) -> tuple[str, str]:
    """An answered case's survey, from the link in the citizen's message."""
    ref = _ok(api.post("/api/v1/cases", {**CASE_BODY, "subject": "Τρίτη"}))["reference"]
    maria = api.token("maria")
    _ok(api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria), 200)
    answer = {"version": 2, "answer": "Ναι"}
    _ok(api.post(f"/api/v1/agent/cases/{ref}/resolve", answer, token=maria), 200)
    body = api.runtime.outbox.messages(1)[0]["body"]
    found = re.search(r"/survey/#id=(\w+)&token=(\S+)", body)
    assert found, body
    return found.group(1), found.group(2)


def _live(api, seeded: dict[str, Any], name: str) -> Any:
    """Values that change as the walk goes: read (uncounted) just before the request."""
    table = api.runtime.table
    if name == "case_version":
        return int(table.get(Key(f"CASE#{seeded['case']}", "CASE"))["version"])
    if name == "callback_version":
        return int(table.get(Key(f"CALLBACK#{seeded['callback']}", "CALLBACK"))["version"])
    if name == "branch_version":
        return api.get(f"/api{BRANCH}/settings", token=api.token("katerina")).body["version"]
    return seeded[name]


def _fill(value: Any, values) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole:
            return values(whole.group(1))
        return re.sub(r"\{(\w+)\}", lambda m: str(values(m.group(1))), value)
    return value


def _named(operation: str, params: dict) -> str:
    key = params.get("Item") or params.get("Key") or {}
    if "pk" in key:
        return f"{operation}:{key['pk']['S'].split('#')[0]}"
    if "IndexName" in params or "KeyConditionExpression" in params:
        values = params.get("ExpressionAttributeValues", {})
        partition = values.get(":v0", {}).get("S", "").split("#")[0]
        return f"{operation}:{params.get('IndexName', '')}:{partition}"
    return operation


def test_every_route_is_walked():
    # /v1/dev/ routes exist only in a local run (devtools), never in a deployed stage.
    declared = {(m, p) for p, ms in app.routes.items() for m in ms if not p.startswith("/v1/dev/")}
    assert declared == {(c.method, c.route) for c in CALLS}


@DYNAMODB
def test_every_request_costs_at_most_three_dynamodb_calls_and_never_a_scan(api):
    client = api.runtime.table._client
    made: list[str] = []
    client.meta.events.register(
        "provide-client-params.dynamodb.*",
        lambda model, params, **_: made.append(_named(model.name, params)),
    )
    seeded = seed(api)
    answers: list[tuple] = []
    over: dict[tuple[str, str], int] = {}
    for call in CALLS:

        def values(name: str) -> Any:
            return _live(api, seeded, name)

        path, body = _fill(call.path, values), _fill(call.body, values)
        headers, token = _fill(call.headers or {}, values), call.user and api.token(call.user)
        made.clear()
        response = api.request(call.method, "/api" + path, body, token=token, headers=headers)
        if call.keep:
            seeded[call.keep] = response.body.get("code") or response.body.get("id", "B-0000-00000")
        answers.append((call.method, path, response.status, call.status))
        calls = [c for c in made if c not in NOT_DYNAMODB]
        assert not [c for c in calls if c.startswith("Scan")], (call.method, path, calls)
        if len(calls) > BOUNDS.get((call.method, call.route), LIMIT):
            over[call.method, call.route] = len(calls)
            print(call.method, path, calls)
        if call.worker:
            api.runtime.run_due()
    assert [a for a in answers if a[2] != a[3]] == []
    assert over == {}

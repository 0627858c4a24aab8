"""Every agent, supervisor, staff and admin route refuses the wrong caller: no token (401), a
token with no role (403), and the wrong role or scope (403, or 404 where the item is not
theirs to see), always as problem+json and changing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TOMORROW, Api, assert_problem, at, everything

from app import app
from chalicelib.api.auth import dev_token
from chalicelib.domain.directory import Agent, Role

BRANCH = f"/api/v1/branch/{SYNTAGMA}"
# Callers the demo directory does not have: a supervisor of e-EFKA's teams only, staff of
# another branch, and a signed token that carries no role.
EFKA_SUPERVISOR = Agent(
    "efka-sup",
    "Επόπτρια e-ΕΦΚΑ",
    frozenset({Role.AGENT, Role.SUPERVISOR}),
    frozenset({"efka-support", "efka-backoffice"}),
)
OTHER_BRANCH = Agent(
    "thess",
    "Υπάλληλος",
    frozenset({Role.AGENT}),
    frozenset({"kep-support"}),
    frozenset({"kep-thessaloniki-center"}),
)
NO_ROLE = Agent("ghost", "Κανείς", frozenset(), frozenset({"first-line"}))
EXTRA = {a.id: a for a in (EFKA_SUPERVISOR, OTHER_BRANCH, NO_ROLE)}


def token(api: Api, user: str) -> str:
    agent = EXTRA.get(user) or api.runtime.ctx.directory.agents[user]
    return dev_token(agent, api.runtime.settings.jwt_secret, now=datetime.now(UTC))


def act(api: Api, user: str, ref: str, action: str, **body: Any) -> dict:
    version = case_view(api, ref)["version"]
    answer = api.post(
        f"/api/v1/agent/cases/{ref}/{action}", {"version": version, **body}, token=token(api, user)
    )
    assert answer.status == 200, (action, answer.body)
    return answer.body


def case_view(api: Api, ref: str) -> dict:
    return api.get(f"/api/v1/agent/cases/{ref}", token=token(api, "sofia")).body


def seed(api: Api) -> dict[str, Any]:
    """An e-EFKA case claimed at its support team, one answered there, a ΔΥΠΑ case, a callback,
    a booking at Syntagma and an Open311 key."""
    claimed = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    act(api, "maria", claimed, "claim")
    act(api, "maria", claimed, "escalate", reason="Χρειάζεται έλεγχο")  # to efka-support, in turn
    holder = case_view(api, claimed)["owner"]["agent"]
    answered = api.post("/api/v1/cases", {**CASE_BODY, "subject": "Άλλο"}).body["reference"]
    act(api, "maria", answered, "claim")
    act(api, "maria", answered, "escalate", reason="Χρειάζεται έλεγχο")
    act(api, case_view(api, answered)["owner"]["agent"], answered, "resolve", answer="Ναι")
    dypa = api.post("/api/v1/cases", {**CASE_BODY, "agency": "dypa", "topic": "training"}).body[
        "reference"
    ]
    window = at(TOMORROW, 8).isoformat()
    callback = api.post(
        "/api/v1/callbacks", {"agency": "efka", "window_start": window, "phone": "+306900000002"}
    ).body["reference"]
    booking = api.post(
        "/api/v1/bookings",
        {
            "branch": SYNTAGMA,
            "service": CERTIFICATE,
            "start": at(TOMORROW, 10).isoformat(),
            "mode": "in_person",
            "language": "el",
            "citizen": {"full_name": "Πολίτης", "amka": amka(1), "email": "p@example.gr"},
        },
    ).body["code"]
    key = api.post("/api/v1/admin/open311/keys", {"client": "Δήμος"}, token=token(api, "admin"))
    return {
        "claimed": claimed,
        "holder": holder,
        "colleague": ({"eleni", "petros"} - {holder}).pop(),
        "answered": answered,
        "dypa": dypa,
        "callback": callback,
        "booking": booking,
        "key_id": key.body["id"],
    }


@dataclass(frozen=True)
class Refusal:
    method: str
    route: str  # as the app declares it, under /v1
    path: str  # the request, with {seeded} values
    user: str  # the wrong caller ({seeded} names allowed)
    status: int
    problem: str
    body: Any = None
    why: str = ""


R = Refusal
REFUSALS = [
    R("GET", "/v1/admin/open311/keys", "/admin/open311/keys", "sofia", 403, "forbidden"),
    R(
        "POST",
        "/v1/admin/open311/keys",
        "/admin/open311/keys",
        "sofia",
        403,
        "forbidden",
        {"client": "X"},
    ),
    R(
        "DELETE",
        "/v1/admin/open311/keys/{key_id}",
        "/admin/open311/keys/{key_id}",
        "maria",
        403,
        "forbidden",
    ),
    R(
        "POST",
        "/v1/agent/cases",
        "/agent/cases",
        "anna",
        403,
        "forbidden",
        CASE_BODY,
        "a ΔΥΠΑ agent logs no e-EFKA call",
    ),
    R("GET", "/v1/agent/queue", "/agent/queue", "ghost", 403, "forbidden"),
    R(
        "GET",
        "/v1/agent/cases/{reference}",
        "/agent/cases/{claimed}",
        "anna",
        404,
        "not-found",
        why="another agency's case",
    ),
    R(
        "GET",
        "/v1/agent/cases/{reference}",
        "/agent/cases/{dypa}",
        "efka-sup",
        404,
        "not-found",
        why="a supervisor sees the agencies of the teams they supervise",
    ),
    R(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/agent/cases/{claimed}/claim",
        "anna",
        404,
        "not-found",
        {"version": "{version}"},
    ),
    R(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/agent/cases/{answered}/reopen",
        "maria",
        403,
        "forbidden",
        {"version": "{version}", "reason": "Ξανά"},
        "the first line reopens no case another team owns",
    ),
    R(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/agent/cases/{claimed}/reassign",
        "{holder}",
        403,
        "forbidden",
        {"version": "{version}", "team": "dypa-support"},
        "reassignment stays within the case's agency",
    ),
    R(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/agent/cases/{claimed}/resolve",
        "{colleague}",
        403,
        "forbidden",
        {"version": "{version}", "answer": "Ναι"},
        "a colleague's claim is taken over by a supervisor",
    ),
    R(
        "POST",
        "/v1/agent/cases/{reference}/{action}",
        "/agent/cases/{claimed}/reassign",
        "{colleague}",
        403,
        "forbidden",
        {"version": "{version}", "agent": "{colleague}"},
    ),
    R(
        "POST",
        "/v1/agent/citizens/search",
        "/agent/citizens/search",
        "admin",
        403,
        "forbidden",
        {"amka": amka(1), "reason": "Κλήση"},
    ),
    R(
        "POST",
        "/v1/agent/callbacks",
        "/agent/callbacks",
        "anna",
        403,
        "forbidden",
        {"agency": "efka", "window_start": "asap", "phone": "+306900000003"},
    ),
    R("GET", "/v1/agent/callbacks", "/agent/callbacks", "ghost", 403, "forbidden"),
    R("POST", "/v1/agent/callbacks/next", "/agent/callbacks/next", "ghost", 403, "forbidden"),
    R(
        "GET",
        "/v1/agent/callbacks/{reference}",
        "/agent/callbacks/{callback}",
        "anna",
        404,
        "not-found",
    ),
    R(
        "POST",
        "/v1/agent/callbacks/{reference}/outcome",
        "/agent/callbacks/{callback}/outcome",
        "anna",
        404,
        "not-found",
        {"outcome": "reached", "version": 1},
    ),
    R("GET", "/v1/supervisor/breaches", "/supervisor/breaches", "maria", 404, "not-found"),
    R("GET", "/v1/supervisor/access-log", "/supervisor/access-log", "maria", 403, "forbidden"),
    R(
        "POST",
        "/v1/supervisor/access-log/search",
        "/supervisor/access-log/search",
        "maria",
        403,
        "forbidden",
        {"amka": amka(1), "reason": "Έλεγχος"},
    ),
    R("GET", "/v1/supervisor/kpis", "/supervisor/kpis", "maria", 403, "forbidden"),
    R("GET", "/v1/admin/agents", "/admin/agents", "sofia", 403, "forbidden"),
    R("GET", "/v1/admin/agents/{agent_id}", "/admin/agents/maria", "sofia", 403, "forbidden"),
    R(
        "PUT",
        "/v1/admin/agents/{agent_id}",
        "/admin/agents/maria",
        "sofia",
        403,
        "forbidden",
        {"name": "Μαρία", "teams": ["first-line"], "version": 1},
    ),
    R("DELETE", "/v1/admin/agents/{agent_id}", "/admin/agents/nikos", "maria", 403, "forbidden"),
    R(
        "POST",
        "/v1/admin/citizens/erase",
        "/admin/citizens/erase",
        "sofia",
        403,
        "forbidden",
        {"amka": amka(1), "reason": "Αίτημα διαγραφής"},
    ),
    R("GET", "/v1/admin/erasures/{order_id}", "/admin/erasures/E-0000", "sofia", 403, "forbidden"),
    R(
        "GET",
        "/v1/supervisor/missed-callbacks",
        "/supervisor/missed-callbacks",
        "maria",
        403,
        "forbidden",
    ),
    R(
        "POST",
        "/v1/branch/{branch}/bookings",
        f"/branch/{SYNTAGMA}/bookings",
        "thess",
        403,
        "forbidden",
        {
            "service": CERTIFICATE,
            "start": at(TOMORROW, 11).isoformat(),
            "channel": "phone",
            "citizen": {"full_name": "Π", "amka": amka(2)},
        },
    ),
    R(
        "GET",
        "/v1/branch/{branch}/bookings/{code}",
        f"/branch/{SYNTAGMA}/bookings/{{booking}}",
        "thess",
        403,
        "forbidden",
    ),
    R(
        "POST",
        "/v1/branch/{branch}/bookings/{code}/{action}",
        f"/branch/{SYNTAGMA}/bookings/{{booking}}/cancel",
        "maria",
        403,
        "forbidden",
        {"version": 1, "note": "Λάθος"},
    ),
    R(
        "PUT",
        "/v1/branch/{branch}/capacity",
        f"/branch/{SYNTAGMA}/capacity",
        "thess",
        403,
        "forbidden",
        {"version": 0, "service": CERTIFICATE, "in_person": 9},
    ),
    R(
        "PUT",
        "/v1/branch/{branch}/hours",
        f"/branch/{SYNTAGMA}/hours",
        "maria",
        403,
        "forbidden",
        {"version": 0, "hours": {"wed": [["10:00", "11:00"]]}},
    ),
    R(
        "POST",
        "/v1/branch/{branch}/closures",
        f"/branch/{SYNTAGMA}/closures",
        "thess",
        403,
        "forbidden",
        {"version": 0, "date": "2026-12-20", "reason": "Απεργία"},
    ),
    R(
        "DELETE",
        "/v1/branch/{branch}/closures/{day}",
        f"/branch/{SYNTAGMA}/closures/2026-12-10?version=0",
        "thess",
        403,
        "forbidden",
    ),
    R(
        "GET",
        "/v1/branch/{branch}/day",
        f"/branch/{SYNTAGMA}/day?date={TOMORROW}",
        "eleni",
        403,
        "forbidden",
    ),
    R(
        "POST",
        "/v1/branch/{branch}/no-show-blocks/lift",
        f"/branch/{SYNTAGMA}/no-show-blocks/lift",
        "thess",
        403,
        "forbidden",
        {"amka": amka(1), "service": CERTIFICATE, "reason": "Λάθος"},
    ),
    R(
        "GET",
        "/v1/branch/{branch}/settings",
        f"/branch/{SYNTAGMA}/settings",
        "thess",
        403,
        "forbidden",
    ),
]


def fill(value: Any, seeded: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: fill(v, seeded) for k, v in value.items()}
    if isinstance(value, str) and "{" in value:
        return value.format(**seeded)
    return value


def send(api: Api, refusal: Refusal, seeded: dict[str, Any], bearer: str | None):
    body = fill(refusal.body, seeded)
    if isinstance(body, dict) and isinstance(body.get("version"), str):
        body["version"] = int(body["version"])
    return api.request(refusal.method, "/api/v1" + fill(refusal.path, seeded), body, token=bearer)


def test_every_staff_route_is_in_the_table():
    staff = ("/v1/agent", "/v1/supervisor", "/v1/branch/", "/v1/admin")
    declared = {(m, p) for p, ms in app.routes.items() for m in ms if p.startswith(staff)}
    assert declared == {(r.method, r.route) for r in REFUSALS}


@pytest.mark.parametrize("refusal", REFUSALS, ids=[f"{r.method} {r.path}" for r in REFUSALS])
def test_the_wrong_caller_is_refused_and_nothing_changes(api, refusal):
    seeded = seed(api)
    claimed_version = case_view(api, seeded["claimed"])["version"]
    answered_version = case_view(api, seeded["answered"])["version"]
    seeded["version"] = answered_version if "{answered}" in refusal.path else claimed_version
    before = everything(api.runtime.table)

    anonymous = send(api, refusal, seeded, None)
    roleless = send(api, refusal, seeded, token(api, "ghost"))
    wrong = send(api, refusal, seeded, token(api, fill(refusal.user, seeded)))

    assert_problem(anonymous, 401, "unauthorized")
    assert_problem(roleless, 403, "forbidden")
    assert_problem(wrong, refusal.status, refusal.problem)
    assert everything(api.runtime.table) == before


REPLAYS = [
    (
        f"{BRANCH}/bookings",
        "katerina",
        "thess",
        {
            "service": CERTIFICATE,
            "start": at(TOMORROW, 11).isoformat(),
            "channel": "phone",
            "citizen": {"full_name": "Πολίτης", "amka": amka(3)},
        },
    ),
    (
        "/api/v1/agent/callbacks",
        "maria",
        "anna",
        {"agency": "efka", "window_start": "asap", "phone": "+306900000003"},
    ),
    ("/api/v1/agent/cases", "maria", "anna", CASE_BODY),
]


@pytest.mark.parametrize("path,owner,intruder,body", REPLAYS, ids=[r[0] for r in REPLAYS])
def test_a_replayed_idempotency_key_answers_only_a_caller_allowed_to_make_the_request(
    api, path, owner, intruder, body
):
    key = {"Idempotency-Key": "4b5e0c0e-5d8a-4a51-9d6e-0f6c2f6f0a11"}
    first = api.post(path, body, headers=key, token=token(api, owner))
    assert first.status == 201, first.body

    replayed = api.post(path, body, headers=key, token=token(api, intruder))

    assert_problem(replayed, 403, "forbidden")
    assert "manage_token" not in replayed.body and "token" not in replayed.body

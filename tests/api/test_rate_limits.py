"""Abuse limits on public writes, held in the store: per client address, per citizen identifier,
across app instances; over a limit a 429 with Retry-After, and nothing changes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TOMORROW, Api, assert_problem, at, everything, phone

from chalicelib import bootstrap
from chalicelib.adapters.dynamodb.table import DynamoTable
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Table
from chalicelib.config import Settings
from chalicelib.domain.limits import Limits
from devtools.runtime import LocalRuntime

ATTACKER = "203.0.113.7"
NEIGHBOUR = "198.51.100.20"
SETUP = "192.0.2.200"
EDGE = "130.176.0.1"  # a CloudFront edge, as API Gateway sees every viewer behind it
DIRECT = "203.0.113.99"


def limited_api(table: Table, clock, **limits: Any) -> Api:
    settings = Settings(limits=Limits(**limits))
    return Api(LocalRuntime(settings, table=table, clock=clock))


def case(n: int, **citizen: str) -> dict:
    body = {**CASE_BODY, "subject": f"Ερώτηση {n}"}
    body["citizen"] = {"full_name": "Πολίτης", "amka": amka(n), "email": f"c{n}@example.gr"}
    body["citizen"].update(citizen)
    return body


def test_a_client_address_over_its_minute_gets_429_with_the_seconds_left_and_nothing_changes(
    table, clock
):
    api = limited_api(table, clock, writes_per_address=3)
    clock.advance(timedelta(seconds=15))  # 45 s left in the minute's window
    for n in range(3):
        assert api.post("/api/v1/cases", case(n), source_ip=ATTACKER).status == 201
    before = everything(table)

    refused = api.post("/api/v1/cases", case(9), source_ip=ATTACKER)
    english = api.post(
        "/api/v1/cases", case(9), source_ip=ATTACKER, headers={"Accept-Language": "en"}
    )

    assert_problem(refused, 429, "rate-limited")
    assert refused.headers["Retry-After"] == "45"
    assert refused.headers["Content-Language"] == "el"
    assert "Too many requests" in english.body["title"]
    assert everything(table) == before
    assert api.post("/api/v1/cases", case(9), source_ip=NEIGHBOUR).status == 201
    clock.advance(timedelta(seconds=45))
    assert api.post("/api/v1/cases", case(9), source_ip=ATTACKER).status == 201


def test_behind_cloudfront_each_viewer_is_counted_apart_and_only_cloudfront_may_say_who(
    table, clock
):
    """Every citizen behind one CloudFront edge arrives from the edge's address: the viewer's
    own address counts, on the word of a request carrying the origin secret only."""
    secret = "s" * 32
    settings = Settings(limits=Limits(writes_per_address=2), origin_secret=secret)
    api = Api(LocalRuntime(settings, table=table, clock=clock))

    def via_edge(viewer: str) -> dict[str, str]:
        return {"X-Origin-Verify": secret, "X-Viewer-Address": viewer}

    for n in range(2):
        sent = api.post("/api/v1/cases", case(n), source_ip=EDGE, headers=via_edge(ATTACKER))
        assert sent.status == 201
    neighbour = api.post("/api/v1/cases", case(2), source_ip=EDGE, headers=via_edge(NEIGHBOUR))
    third = api.post("/api/v1/cases", case(3), source_ip=EDGE, headers=via_edge(ATTACKER))

    assert neighbour.status == 201
    assert_problem(third, 429, "rate-limited")
    # Calling the API directly, a client cannot choose the address it is counted under.
    forged = {"X-Origin-Verify": "a guess", "X-Viewer-Address": "198.51.100.99"}
    statuses = [
        api.post("/api/v1/cases", case(n), source_ip=DIRECT, headers=forged).status
        for n in range(4, 7)
    ]
    assert statuses == [201, 201, 429]


def test_one_phone_number_is_limited_whichever_address_and_spelling_it_comes_from(table, clock):
    api = limited_api(table, clock, writes_per_identifier=2)
    spellings = ["+30 691 234 5678", "6912345678", "00306912345678"]

    answers = [
        api.post("/api/v1/cases", case(n, phone=spellings[n]), source_ip=f"192.0.2.{n}").status
        for n in range(3)
    ]

    assert answers == [201, 201, 429]


def test_one_mailbox_is_limited_whatever_its_case_or_plus_tag(table, clock):
    api = limited_api(table, clock, writes_per_identifier=2)
    addresses = ["anna@example.gr", "Anna+1@EXAMPLE.gr", "anna+spam@example.gr"]

    answers = [
        api.post("/api/v1/cases", case(n, email=addresses[n]), source_ip=f"192.0.2.{n}").status
        for n in range(3)
    ]

    assert answers == [201, 201, 429]


def test_the_limit_holds_across_two_app_instances_sharing_the_store(table, clock):
    first = limited_api(table, clock, writes_per_address=4)
    # A second instance: its own context and its own connection to the same store.
    other_table: Table = (
        SqliteTable(table._path)  # type: ignore[attr-defined]
        if isinstance(table, SqliteTable)
        else DynamoTable(table._client, table._name)
    )
    second = limited_api(other_table, clock, writes_per_address=4)
    statuses = []

    for n in range(5):
        instance = (first, second)[n % 2]
        bootstrap.use(instance.runtime.ctx, instance.runtime.settings)  # this request's Lambda
        statuses.append(instance.post("/api/v1/cases", case(n), source_ip=ATTACKER).status)

    assert statuses == [201, 201, 201, 201, 429]


def test_limits_are_read_from_the_environment():
    from chalicelib.config import settings_from_env

    settings = settings_from_env(
        {"STAGE": "local", "RATE_LIMIT_PER_ADDRESS": "120", "MAX_ACTIVE_APPOINTMENTS": "6"}
    )

    assert settings.limits == dataclasses.replace(
        Limits(), writes_per_address=120, active_appointments=6
    )


# --- every public write, over the limit --------------------------------------------------


def _booking(n: int, hour: int) -> dict:
    return {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "start": at(TOMORROW, hour).isoformat(),
        "mode": "in_person",
        "language": "el",
        "citizen": {"full_name": f"Πολίτης {n}", "amka": amka(n), "phone": phone(n)},
    }


def _case_at(api: Api, *actions: tuple[str, dict]) -> dict[str, str]:
    """A case, taken through agent actions (name, text) by Maria of the first line."""
    made = api.post("/api/v1/cases", case(1), source_ip=SETUP).body
    maria, version = api.token("maria"), 1
    for action, text in actions:
        path = f"/api/v1/agent/cases/{made['reference']}/{action}"
        answer = api.post(path, {"version": version, **text}, token=maria)
        assert answer.status == 200, answer.body
        version = answer.body["version"]
    return {"case": made["reference"], "case_token": made["tracking_token"]}


def _booked(api: Api) -> dict[str, str]:
    booked = api.post("/api/v1/bookings", _booking(2, 10), source_ip=SETUP).body
    return {"booking": booked["code"], "booking_token": booked["manage_token"]}


def _full_day(api: Api) -> dict[str, str]:
    """Wednesday at Syntagma has one place, taken: a citizen may join its waitlist."""
    staff = api.token("katerina")
    branch = f"/api/v1/branch/{SYNTAGMA}"
    hours = {"version": 0, "hours": {"wed": [["10:00", "10:10"]]}}
    assert api.request("PUT", f"{branch}/hours", hours, token=staff).status == 200
    desks = {"version": 1, "service": CERTIFICATE, "in_person": 1}
    assert api.request("PUT", f"{branch}/capacity", desks, token=staff).status == 200
    return _booked(api)


def _overdue_case(api: Api) -> dict[str, str]:
    seeded = _case_at(api)
    api.runtime.clock.advance(timedelta(days=90))  # past the promised date: a chase is due
    return seeded


CASE_TOKEN = {"X-Tracking-Token": "case"}
WRITES = [
    ("/api/v1/cases", lambda api: {}, case(5), {}),
    (
        "/api/v1/cases/{case}/reply",
        lambda api: _case_at(api, ("claim", {}), ("request-info", {"question": "ΑΜΚΑ;"})),
        {"text": "Στοιχεία"},
        CASE_TOKEN,
    ),
    ("/api/v1/cases/{case}/chase", _overdue_case, None, CASE_TOKEN),
    (
        "/api/v1/cases/{case}/reopen",
        lambda api: _case_at(api, ("claim", {}), ("resolve", {"answer": "Απάντηση"})),
        {"text": "Δεν λύθηκε"},
        CASE_TOKEN,
    ),
    ("/api/v1/bookings", lambda api: {}, _booking(6, 11), {}),
    (
        "/api/v1/bookings/{booking}/reschedule",
        _booked,
        {"start": at(TOMORROW, 12).isoformat()},
        {"X-Manage-Token": "booking"},
    ),
    (
        "/api/v1/waitlist",
        _full_day,
        {
            "branch": SYNTAGMA,
            "service": CERTIFICATE,
            "date": TOMORROW.isoformat(),
            "citizen": {"full_name": "Πολίτης 7", "amka": amka(7), "phone": phone(7)},
        },
        {},
    ),
    (
        "/api/v1/callbacks",
        lambda api: {},
        {"agency": "efka", "window_start": "asap", "phone": phone(8)},
        {},
    ),
]


@pytest.mark.parametrize("path,given,body,headers", WRITES, ids=[w[0] for w in WRITES])
def test_every_public_write_over_the_address_limit_is_refused_and_changes_nothing(
    table, clock, path, given, body, headers
):
    api = limited_api(table, clock, writes_per_address=1)
    seeded = given(api)
    assert api.post("/api/v1/cases", case(3), source_ip=ATTACKER).status == 201
    sent = {k: seeded[f"{v}_token"] for k, v in headers.items()}
    before = everything(table)

    refused = api.post(path.format(**seeded), body, headers=sent, source_ip=ATTACKER)
    unchanged = everything(table) == before
    allowed = api.post(path.format(**seeded), body, headers=sent, source_ip=NEIGHBOUR)

    assert_problem(refused, 429, "rate-limited")
    assert int(refused.headers["Retry-After"]) > 0
    assert unchanged
    assert allowed.status in (200, 201), allowed.body  # the same request was a valid one


def test_an_open311_request_over_the_limit_is_refused_in_the_specifications_envelope(table, clock):
    api = limited_api(table, clock, writes_per_address=1)
    admin = api.token("admin")
    key = api.post("/api/v1/admin/open311/keys", {"client": "Δήμος"}, token=admin).body["api_key"]
    form = {
        "service_code": "efka.contributions",
        "description": "Δεν πιστώθηκε",
        "first_name": "Γιάννης",
        "last_name": "Παπαδάκης",
        "email": "giannis@example.gr",
        "attribute[consent]": "true",
        "api_key": key,
    }
    assert api.post("/api/open311/v2/requests.json", form, source_ip=ATTACKER).status == 201
    before = everything(table)

    refused = api.post("/api/open311/v2/requests.json", form, source_ip=ATTACKER)

    assert refused.status == 429
    assert refused.body[0]["code"] == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert everything(table) == before

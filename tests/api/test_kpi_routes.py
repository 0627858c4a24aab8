"""Service quality over HTTP: the supervisors' figures (scope, CSV, refusals) and the public
transparency figures (anonymous, cacheable, nothing personal)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TODAY, assert_problem

from chalicelib.api.auth import dev_token
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.kpis import flat

KPIS = "/api/v1/supervisor/kpis"
PERIOD = f"from={TODAY}&to={TODAY}"


def dypa_supervisor(api) -> str:
    """A supervisor whose only team serves DYPA."""
    who = Agent("dimitra", "Δήμητρα", frozenset({Role.SUPERVISOR}), frozenset({"dypa-support"}))
    return dev_token(who, api.runtime.settings.jwt_secret, now=datetime.now(UTC))


def test_a_supervisor_reads_the_figures_of_the_period_in_the_contracts_shape(api):
    assert api.post("/api/v1/cases", CASE_BODY).status == 201

    response = api.get(f"{KPIS}?{PERIOD}", token=api.token("sofia"))

    assert response.status == 200
    body = response.body
    assert (body["from"], body["to"]) == (str(TODAY), str(TODAY))
    assert body["cases"]["opened"] == 1 and body["cases"]["backlog"] == 1
    assert set(body) == {"from", "to", "cases", "callbacks", "appointments", "satisfaction"}
    assert set(body["cases"]["tier_share"]) == {"1", "2", "3"}
    assert set(body["satisfaction"]["distribution"]) == {"1", "2", "3", "4", "5"}


def test_a_supervisor_of_another_agency_sees_nothing_of_it(api):
    assert api.post("/api/v1/cases", CASE_BODY).status == 201  # an e-EFKA case
    token = dypa_supervisor(api)

    own = api.get(f"{KPIS}?{PERIOD}", token=token)
    other = api.get(f"{KPIS}?{PERIOD}&agency=efka", token=token)

    assert own.status == 200 and own.body["cases"]["opened"] == 0
    assert own.body["cases"]["backlog"] == 0
    assert_problem(other, 404, "not-found")


def test_an_agent_who_is_not_a_supervisor_is_refused(api):
    response = api.get(f"{KPIS}?{PERIOD}", token=api.token("maria"))

    assert_problem(response, 403, "forbidden")
    assert_problem(api.get(f"{KPIS}?{PERIOD}"), 401, "unauthorized")


def test_a_wrong_period_is_refused_on_its_field_in_the_callers_language(api):
    token = api.token("sofia")
    too_long = f"from={TODAY - timedelta(days=92)}&to={TODAY}"

    reversed_ = api.get(f"{KPIS}?from={TODAY}&to={TODAY - timedelta(days=1)}", token=token)
    long_ = api.get(f"{KPIS}?{too_long}", token=token, headers={"Accept-Language": "en"})
    garbled = api.get(f"{KPIS}?from=yesterday&to={TODAY}", token=token)

    for response in (reversed_, long_, garbled):
        assert_problem(response, 422, "validation")
    assert reversed_.problem_fields == {"to"} and long_.problem_fields == {"to"}
    assert "92" in long_.body["errors"][0]["message"]
    assert garbled.problem_fields == {"from"}


def test_the_figures_come_as_csv_with_the_same_values(api):
    assert api.post("/api/v1/cases", CASE_BODY).status == 201
    token = api.token("sofia")

    as_json = api.get(f"{KPIS}?{PERIOD}", token=token).body
    response = api.get(f"{KPIS}?{PERIOD}&format=csv", token=token)

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(response.body)))
    assert rows.pop("figure") == "value"
    assert rows["cases.opened"] == "1" == str(as_json["cases"]["opened"])
    assert rows["cases.tier_share.1"] == ""  # nothing resolved yet: no share
    assert rows["appointments.utilisation"] == str(as_json["appointments"]["utilisation"])
    assert set(rows) == {name for name, _ in flat(as_json)}  # every figure, once


def test_transparency_is_public_cacheable_and_says_nothing_of_any_citizen(api):
    assert api.post("/api/v1/cases", CASE_BODY).status == 201
    booking = {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "start": f"{TODAY}T12:00:00+02:00",
        "mode": "in_person",
        "language": "el",
        "citizen": {"full_name": "Ελένη Μαρκοπούλου", "amka": amka(5), "email": "e@example.gr"},
    }
    assert api.post("/api/v1/bookings", booking).status == 201

    response = api.get("/api/v1/public/transparency")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    text = json.dumps(response.body, ensure_ascii=False)
    for personal in ("Παπαδάκης", "Μαρκοπούλου", "15038512347", amka(5), "@example.gr", "691"):
        assert personal not in text
    efka = next(a for a in response.body["agencies"] if a["id"] == "efka")
    assert efka["cases_last_30_days"] == 1 and efka["sla_resolution"] is None


def test_the_next_free_appointment_is_the_first_slot_availability_offers(api):
    response = api.get("/api/v1/public/transparency").body
    syntagma = next(b for b in response["branches"] if b["id"] == SYNTAGMA)
    shown = {s["id"]: s["next_free"] for s in syntagma["services"]}

    days = f"from={TODAY}&to={TODAY + timedelta(days=7)}"
    slots = api.get(f"/api/v1/branches/{SYNTAGMA}/availability?service={CERTIFICATE}&{days}").body[
        "slots"
    ]

    assert shown[CERTIFICATE] == slots[0]["start"]

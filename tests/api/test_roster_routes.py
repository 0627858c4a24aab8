"""The teams' people are data admins manage through the API; the rotation reads them from the
store (both stores), and an AWS stage starts with nobody in it."""

from __future__ import annotations

from datetime import UTC, datetime

from support import CASE_BODY, assert_problem

from chalicelib.adapters.local_timers import TableTimers
from chalicelib.api.auth import dev_token
from chalicelib.config import Settings
from chalicelib.domain.directory import Agent, Role
from chalicelib.services import cases as service
from devtools.runtime import local_context

KOSTAS = {"name": "Κώστας Λαμπρόπουλος", "teams": ["efka-support"], "version": 0}


def _escalated(api, count: int) -> list[str]:
    """Submits ``count`` e-EFKA cases and escalates each to the round-robin support team."""
    maria = api.token("maria")
    refs = []
    for n in range(count):
        ref = api.post("/api/v1/cases", {**CASE_BODY, "subject": f"Θέμα {n}"}).body["reference"]
        moved = api.post(
            f"/api/v1/agent/cases/{ref}/escalate", {"version": 1, "reason": "Τμήμα"}, token=maria
        )
        assert moved.status == 200, moved.body
        refs.append(ref)
    return refs


def _owners(api, refs: list[str]) -> list[str | None]:
    sofia = api.token("sofia")
    return [api.get(f"/api/v1/agent/cases/{r}", token=sofia).body["owner"]["agent"] for r in refs]


def _token_of(api, agent_id: str, teams: list[str]) -> str:
    """The token Cognito would give the user whose username is ``agent_id``."""
    signed_in = Agent(agent_id, "", frozenset({Role.AGENT}), frozenset(teams))
    return dev_token(signed_in, api.runtime.settings.jwt_secret, now=datetime.now(UTC))


def test_an_agent_added_through_the_api_receives_escalated_cases(api):
    admin = api.token("admin")

    added = api.request("PUT", "/api/v1/admin/agents/kostas", KOSTAS, token=admin)
    refs = _escalated(api, 3)

    assert added.status == 201 and added.body["version"] == 1 and added.body["active"]
    assert sorted(_owners(api, refs)) == ["eleni", "kostas", "petros"]
    kostas = _token_of(api, "kostas", ["efka-support"])
    mine = api.get("/api/v1/agent/queue?scope=mine", token=kostas).body["cases"]
    assert len(mine) == 1
    listed = api.get("/api/v1/admin/agents?team=efka-support", token=admin).body["agents"]
    assert [a["id"] for a in listed] == ["eleni", "kostas", "petros", "sofia"]


def test_a_deactivated_agent_receives_no_cases_and_keeps_their_record(api):
    admin = api.token("admin")

    gone = api.request("DELETE", "/api/v1/admin/agents/petros", token=admin)
    refs = _escalated(api, 3)
    ref = refs[0]
    version = api.get(f"/api/v1/agent/cases/{ref}", token=api.token("sofia")).body["version"]
    handed = api.post(
        f"/api/v1/agent/cases/{ref}/reassign",
        {"version": version, "team": "efka-support", "agent": "petros"},
        token=api.token("sofia"),
    )

    assert gone.status == 200 and gone.body["active"] is False
    assert _owners(api, refs) == ["eleni", "eleni", "eleni"]
    assert_problem(handed, 422, "validation")
    record = api.get("/api/v1/admin/agents/petros", token=admin).body
    assert (record["name"], record["active"], record["version"]) == ("Πέτρος Αντωνίου", False, 2)
    every = api.get("/api/v1/admin/agents", token=admin).body["agents"]
    assert "petros" in [a["id"] for a in every]


def test_an_unavailable_or_off_shift_agent_is_skipped_and_back_on_shift_takes_work(api):
    admin = api.token("admin")
    eleni = api.get("/api/v1/admin/agents/eleni", token=admin).body
    evenings = {"tue": [["18:00", "22:00"]]}  # the fake clock stands at Tuesday 09:00
    off = {**KOSTAS, "name": eleni["name"], "version": eleni["version"], "shifts": evenings}
    api.request("PUT", "/api/v1/admin/agents/eleni", off, token=admin)
    petros = api.get("/api/v1/admin/agents/petros", token=admin).body
    away = {**KOSTAS, "name": petros["name"], "version": petros["version"], "available": False}
    api.request("PUT", "/api/v1/admin/agents/petros", away, token=admin)

    nobody = _escalated(api, 1)
    back = {**away, "version": petros["version"] + 1, "available": True}
    api.request("PUT", "/api/v1/admin/agents/petros", back, token=admin)
    somebody = _escalated(api, 1)

    assert _owners(api, nobody) == [None]  # waits in the team's queue
    assert _owners(api, somebody) == ["petros"]


def test_only_admins_manage_agents_and_bad_input_changes_nothing(api):
    admin = api.token("admin")
    path = "/api/v1/admin/agents/kostas"

    by_agent = api.request("PUT", path, KOSTAS, token=api.token("sofia"))
    no_team = api.request("PUT", path, {**KOSTAS, "teams": ["nowhere"]}, token=admin)
    bad_shift = api.request("PUT", path, {**KOSTAS, "shifts": {"mon": [["18", "9"]]}}, token=admin)
    bad_id = api.request("PUT", "/api/v1/admin/agents/a%20b", KOSTAS, token=admin)
    stale = api.request("PUT", "/api/v1/admin/agents/eleni", KOSTAS, token=admin)
    unknown = api.request("DELETE", path, token=admin, headers={"Accept-Language": "en"})

    assert_problem(by_agent, 403, "forbidden")
    assert_problem(no_team, 422, "validation")
    assert no_team.problem_fields == {"teams"}
    assert_problem(bad_shift, 422, "validation")
    assert_problem(bad_id, 422, "validation")
    assert_problem(stale, 409, "version-conflict")
    assert_problem(unknown, 404, "not-found")
    assert unknown.body["title"] == "Not found."
    assert api.get(path, token=admin).status == 404
    eleni = api.get("/api/v1/admin/agents/eleni", token=admin).body
    assert eleni["teams"] == ["efka-support"] and eleni["version"] == 1


def test_an_aws_stage_starts_with_no_demo_agents_and_hands_out_nothing(table, clock):
    ctx = local_context(
        table,
        clock,
        Settings(stage="prod", store=table.kind, pseudonym_key="k" * 64),
        timers=TableTimers(table),
    )
    case = CASE_BODY["citizen"]
    ref = service.submit_case(
        ctx,
        service.SubmitCase(
            "efka",
            "contributions",
            "Εισφορές",
            "Πότε;",
            "el",
            service.Citizen(case["full_name"], case["amka"], None, case["email"], None),
        ),
    )["reference"]
    maria = ctx.directory.agents["maria"]
    service.act(ctx, maria, ref, "escalate", 1, text="Τμήμα")

    assert ctx.roster.all_agents() == []
    assert ctx.roster.team("efka-support").members == ()
    escalated = ctx.cases.get(ref)
    assert (escalated.owner.team, escalated.owner.agent) == ("efka-support", None)

"""The agent's view of a case: the actions they may take now, and names beside the ids."""

from datetime import timedelta

import pytest
from support import CASE_BODY

ACTION_BODIES = {
    "claim": {},
    "note": {"note": "Σημείωση"},
    "escalate": {"reason": "Χρειάζεται το 2ο επίπεδο"},
    "request-info": {"question": "Αριθμός μητρώου;"},
    "resolve": {"answer": "Πληρώνονται στις 25."},
    "reassign": {},
    "close": {},
    "reopen": {"reason": "Δεν απαντήθηκε"},
    "transfer": {"agency": "dypa", "topic": "unemployment-benefit", "reason": "Αρμόδια η ΔΥΠΑ"},
}


def act(api, ref, user, action, **body):
    version = api.get(f"/api/v1/agent/cases/{ref}", token=api.token("sofia")).body["version"]
    response = api.post(
        f"/api/v1/agent/cases/{ref}/{action}", {"version": version, **body}, token=api.token(user)
    )
    assert response.status == 200, response.body
    return response.body


def case_in(api, state):
    """A new case brought to ``state`` by maria of the first line."""
    ref = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    steps = {
        "new": [],
        "claimed": ["claim"],
        "awaiting": ["claim", "request-info"],
        "escalated": ["claim", "escalate"],
        "resolved": ["claim", "resolve"],
        "closed": ["claim", "resolve", "close"],
    }[state]
    for action in steps:
        act(api, ref, "maria", action, **ACTION_BODIES[action])
    return ref


@pytest.mark.parametrize(
    ("state", "user", "expected"),
    [
        ("new", "maria", {"claim", "note", "escalate", "resolve", "reassign", "transfer"}),
        ("new", "sofia", {"claim", "note", "escalate", "resolve", "reassign", "transfer"}),
        (
            "claimed",
            "maria",
            {"note", "escalate", "request-info", "resolve", "reassign", "transfer"},
        ),
        # A colleague's claimed case is not taken over by another agent: a supervisor's act.
        ("claimed", "nikos", {"note"}),
        (
            "claimed",
            "sofia",
            {"note", "escalate", "request-info", "resolve", "reassign", "transfer"},
        ),
        ("awaiting", "maria", {"note", "reassign", "transfer"}),
        ("escalated", "maria", set()),
        # The tier 2 team hands the case to one of its agents in turn; a supervisor may ask.
        (
            "escalated",
            "sofia",
            {"note", "escalate", "request-info", "resolve", "reassign", "transfer"},
        ),
        ("resolved", "maria", {"note", "close", "reopen"}),
        ("closed", "maria", set()),
    ],
)
def test_every_listed_action_is_accepted_and_every_other_one_refused(api, state, user, expected):
    ref = case_in(api, state)

    listed = api.get(f"/api/v1/agent/cases/{ref}", token=api.token(user)).body["allowed_actions"]
    outcomes = {}
    for action, body in ACTION_BODIES.items():
        fresh = case_in(api, state)
        version = api.get(f"/api/v1/agent/cases/{fresh}", token=api.token("sofia")).body["version"]
        response = api.post(
            f"/api/v1/agent/cases/{fresh}/{action}",
            {"version": version, **body},
            token=api.token(user),
        )
        outcomes[action] = response.status

    assert set(listed) == expected
    assert {a for a, status in outcomes.items() if status == 200} == expected
    assert all(status in (403, 404, 409) for a, status in outcomes.items() if a not in expected)


def test_resolve_is_no_longer_offered_once_the_agent_has_escalated_the_case(api):
    ref = case_in(api, "claimed")

    escalated = act(api, ref, "maria", "escalate", reason="2ο επίπεδο")
    refused = api.post(
        f"/api/v1/agent/cases/{ref}/resolve",
        {"version": escalated["version"], "answer": "x"},
        token=api.token("maria"),
    )

    assert "resolve" not in escalated["allowed_actions"]
    assert refused.status == 403


def test_the_case_view_names_its_team_agent_agency_topic_channel_and_actors(api):
    ref = case_in(api, "claimed")

    view = api.get(f"/api/v1/agent/cases/{ref}", token=api.token("maria")).body

    assert view["owner"] == {"team": "first-line", "agent": "maria"}
    assert view["owner_name"] == {
        "team": {"el": "1555 Πρώτη γραμμή", "en": "1555 first line"},
        "agent": "Μαρία Παπαδοπούλου",
    }
    assert view["agency_name"]["en"] == "e-EFKA (Social Insurance)"
    assert view["topic_name"] == {"el": "Εισφορές", "en": "Contributions"}
    assert view["channel_name"] == {"el": "Ιστότοπος", "en": "Website"}
    opened, claimed = view["history"]
    assert opened["actor_name"] == {"el": "Πολίτης", "en": "Citizen"}
    assert claimed["actor_name"]["el"] == "Μαρία Παπαδοπούλου"
    assert claimed["owner_name"]["en"] == "1555 first line / Μαρία Παπαδοπούλου"
    assert view["reassign_teams"] == [
        {"id": "first-line", "name": {"el": "1555 Πρώτη γραμμή", "en": "1555 first line"}}
    ]


def test_queue_items_carry_names_and_mine_lists_only_the_cases_the_agent_holds(api):
    held = case_in(api, "claimed")
    waiting = case_in(api, "new")
    maria = api.token("maria")

    team = api.get("/api/v1/agent/queue", token=maria).body["cases"]
    default = api.get("/api/v1/agent/queue?scope=team", token=maria).body["cases"]
    mine = api.get("/api/v1/agent/queue?scope=mine", token=maria).body["cases"]
    nikos_mine = api.get("/api/v1/agent/queue?scope=mine", token=api.token("nikos")).body["cases"]
    bad = api.get("/api/v1/agent/queue?scope=all", token=maria)

    assert {held, waiting} <= {c["reference"] for c in team}
    assert [c["reference"] for c in default] == [c["reference"] for c in team]
    assert [c["reference"] for c in mine] == [held]
    assert nikos_mine == []
    assert mine[0]["owner_name"]["agent"] == "Μαρία Παπαδοπούλου"
    assert mine[0]["topic_name"]["el"] == "Εισφορές"
    assert bad.status == 422 and bad.problem_fields == {"scope"}


def test_breaches_list_the_most_overdue_case_first(api):
    def breach():
        ref = api.post("/api/v1/cases", CASE_BODY).body["reference"]
        for step in ("PT8H", "P7D", "P30D"):
            api.post("/api/v1/dev/clock", {"advance": step})
        return ref

    older = breach()
    newer = breach()

    listed = api.get("/api/v1/supervisor/breaches", token=api.token("sofia")).body["cases"]

    refs = [c["reference"] for c in listed]
    assert refs.index(older) < refs.index(newer)
    assert [c["due_at"] for c in listed] == sorted(c["due_at"] for c in listed)


def test_a_supervisor_queue_is_every_team_queue_merged_oldest_due_first(api):
    first = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    api.runtime.clock.advance(timedelta(hours=1))
    escalated = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    act(api, escalated, "maria", "claim")
    act(api, escalated, "maria", "escalate", reason="Χρειάζεται το 2ο επίπεδο")
    api.runtime.clock.advance(timedelta(hours=1))
    last = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    resolved = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    act(api, resolved, "maria", "claim")
    act(api, resolved, "maria", "resolve", answer="Πληρώνονται στις 25.")

    def queue(user):
        return api.get("/api/v1/agent/queue", token=api.token(user)).body["cases"]

    everyone = queue("sofia")
    teams = queue("maria") + queue("eleni")
    assert sorted(c["reference"] for c in everyone) == sorted(c["reference"] for c in teams)
    assert {c["reference"] for c in everyone} == {first, escalated, last}
    assert [c["due_at"] for c in everyone] == sorted(c["due_at"] for c in teams)

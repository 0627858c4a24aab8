"""Loads who-answers-what from configuration (data/directory.json) into the domain's Directory.

Agencies, teams and SLA targets change with a release, not at run time; agents in AWS
come from the user pool, and the file's agents are the demo and local users.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.directory import (
    Agency,
    Agent,
    Assignment,
    CasePolicy,
    Directory,
    Role,
    SlaTarget,
    Team,
    Text,
    Topic,
)

_FILE = Path(__file__).parent / "data" / "directory.json"

_CALENDARS = {
    "around_the_clock": BusinessCalendar.around_the_clock,
    "office_hours": BusinessCalendar.office_hours,
}


def _text(raw: dict[str, str]) -> Text:
    return Text(raw["el"], raw["en"])


def directory_from(raw: dict[str, Any]) -> Directory:
    policy = raw.get("policy", {})
    return Directory(
        agencies={
            a["id"]: Agency(
                a["id"],
                _text(a["name"]),
                tuple(Topic(t["id"], _text(t["name"])) for t in a["topics"]),
            )
            for a in raw["agencies"]
        },
        teams={
            t["id"]: Team(
                t["id"],
                _text(t["name"]),
                t["tier"],
                frozenset(t["agencies"]),
                _CALENDARS[t["calendar"]](),
                Assignment(t["assignment"]),
            )
            for t in raw["teams"]
        },
        agents={
            a["id"]: Agent(
                a["id"],
                a["name"],
                frozenset(Role(r) for r in a["roles"]),
                frozenset(a["teams"]),
                frozenset(a.get("branches", [])),
            )
            for a in raw["agents"]
        },
        sla={
            (s["agency"], s["topic"], s["tier"]): SlaTarget(
                timedelta(hours=s["first_response_hours"]), timedelta(hours=s["resolution_hours"])
            )
            for s in raw["sla"]
        },
        policy=CasePolicy(
            statutory_working_days=policy.get("statutory_working_days", 50),
            transfer_notice_working_days=policy.get("transfer_notice_working_days", 5),
            reopen_window=timedelta(days=policy.get("reopen_window_days", 14)),
            chase_interval=timedelta(hours=policy.get("chase_interval_hours", 24)),
        ),
    )


@cache
def load_directory() -> Directory:
    directory = directory_from(json.loads(_FILE.read_text(encoding="utf-8")))
    directory.agents = {key: directory.scoped(a) for key, a in directory.agents.items()}
    return directory

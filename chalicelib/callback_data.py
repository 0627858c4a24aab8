"""Loads the callback rosters and policy (data/callbacks.json) into the domain's CallbackConfig.

Which team calls back for which agency, its hours cut into windows, and how many agents
are on the phones in each window change with a release, not at run time.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.domain.callbacks import CallbackConfig, CallbackPolicy, Roster, Shift
from chalicelib.domain.weekly_hours import WEEKDAYS, WeeklyHours, from_raw, parse_hhmm

_FILE = Path(__file__).parent / "data" / "callbacks.json"


def _hours(raw: dict[str, list[str]]) -> WeeklyHours:
    """``{"mon": ["08:00-16:00"]}``: each interval written as one "start-end" string."""
    return from_raw(
        {day: [span.replace(" ", "").split("-") for span in spans] for day, spans in raw.items()}
    )


def _roster(raw: dict[str, Any]) -> Roster:
    return Roster(
        team=raw["team"],
        agencies=frozenset(raw["agencies"]),
        hours=_hours(raw["hours"]),
        window_length=timedelta(minutes=raw.get("window_minutes", 30)),
        calls_per_agent=raw.get("calls_per_agent", 2),
        agents=raw.get("agents", 2),
        shifts=tuple(
            Shift(
                frozenset(WEEKDAYS.index(d) for d in s["days"]),
                parse_hhmm(s["from"]),
                parse_hhmm(s["to"]),
                s["agents"],
            )
            for s in raw.get("shifts", [])
        ),
        observes_holidays=raw.get("observes_holidays", True),
    )


def callback_config_from(raw: dict[str, Any]) -> CallbackConfig:
    policy = raw.get("policy", {})
    return CallbackConfig(
        rosters=tuple(_roster(r) for r in raw["rosters"]),
        policy=CallbackPolicy(
            max_attempts=policy.get("max_attempts", 3),
            retry_after=tuple(
                timedelta(minutes=m) for m in policy.get("retry_after_minutes", [20, 60])
            ),
            horizon=timedelta(days=policy.get("horizon_days", 14)),
        ),
    )


@cache
def load_callback_config() -> CallbackConfig:
    return callback_config_from(json.loads(_FILE.read_text(encoding="utf-8")))

"""Loads the callback rosters and policy (data/callbacks.json) into the domain's CallbackConfig.

Which team calls back for which agency, its hours cut into windows, and how many agents
are on the phones in each window change with a release, not at run time.
"""

from __future__ import annotations

import json
from datetime import time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.domain.callbacks import CallbackConfig, CallbackPolicy, Roster, Shift

_FILE = Path(__file__).parent / "data" / "callbacks.json"
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _interval(text: str) -> tuple[time, time]:
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def _roster(raw: dict[str, Any]) -> Roster:
    return Roster(
        team=raw["team"],
        agencies=frozenset(raw["agencies"]),
        hours={
            _DAYS[day]: tuple(_interval(i) for i in spans) for day, spans in raw["hours"].items()
        },
        window_length=timedelta(minutes=raw.get("window_minutes", 30)),
        calls_per_agent=raw.get("calls_per_agent", 2),
        agents=raw.get("agents", 2),
        shifts=tuple(
            Shift(
                frozenset(_DAYS[d] for d in s["days"]),
                time.fromisoformat(s["from"]),
                time.fromisoformat(s["to"]),
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

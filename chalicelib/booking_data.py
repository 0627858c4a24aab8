"""Loads the bookable services, branches and booking rules from data/branches.json.

Branch staff change hours, closures and capacity at run time; those edits are stored
in the table in the same shape as a branch's entry here (see ``settings_to_raw``).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.domain.booking_policy import BookingPolicy, NoShowPolicy
from chalicelib.domain.catalogue import Branch, BranchSettings, Catalogue, Mode, Service
from chalicelib.domain.directory import Text
from chalicelib.domain.weekly_hours import from_raw, to_raw

_FILE = Path(__file__).parent / "data" / "branches.json"


def _text(raw: dict[str, str]) -> Text:
    return Text(raw["el"], raw["en"])


def settings_from_raw(raw: dict[str, Any]) -> BranchSettings:
    return BranchSettings(
        hours=from_raw(raw.get("hours", {})),
        walk_in=from_raw(raw.get("walk_in", {})),
        closures={date.fromisoformat(c["date"]): c.get("reason", "") for c in raw["closures"]},
        capacity={
            service: {Mode(mode): int(n) for mode, n in modes.items()}
            for service, modes in raw["services"].items()
        },
    )


def settings_to_raw(settings: BranchSettings) -> dict[str, Any]:
    return {
        "hours": to_raw(settings.hours),
        "walk_in": to_raw(settings.walk_in),
        "closures": [
            {"date": day.isoformat(), "reason": reason}
            for day, reason in sorted(settings.closures.items())
        ],
        "services": {
            service: {mode.value: n for mode, n in modes.items()}
            for service, modes in settings.capacity.items()
        },
    }


def _policy(raw: dict[str, Any]) -> BookingPolicy:
    minutes = lambda key, default: timedelta(minutes=raw.get(key, default))  # noqa: E731
    no_show = raw.get("no_show", {})
    return BookingPolicy(
        horizon_days=raw.get("horizon_days", 30),
        min_notice=minutes("min_notice_minutes", 120),
        citizen_cutoff=minutes("citizen_cutoff_minutes", 120),
        check_in_early=minutes("check_in_early_minutes", 30),
        check_in_late=minutes("check_in_late_minutes", 10),
        no_show_grace=minutes("no_show_grace_minutes", 15),
        reminder_before=timedelta(hours=raw.get("reminder_hours_before", 24)),
        waitlist_offer=minutes("waitlist_offer_minutes", 60),
        longer_slot_units=raw.get("longer_slot_units", 2),
        max_range_days=raw.get("max_range_days", 31),
        no_show=NoShowPolicy(
            limit=no_show.get("limit", 2),
            window=timedelta(days=no_show.get("window_days", 90)),
            block=timedelta(days=no_show.get("block_days", 30)),
        ),
    )


def catalogue_from(raw: dict[str, Any]) -> Catalogue:
    services = {
        s["id"]: Service(
            s["id"],
            s["agency"],
            _text(s["name"]),
            timedelta(minutes=s["duration_minutes"]),
            timedelta(minutes=s.get("buffer_minutes", 0)),
            frozenset(Mode(m) for m in s["modes"]),
        )
        for s in raw["services"]
    }
    branches = {}
    for b in raw["branches"]:
        unknown = set(b["services"]) - set(services)
        if unknown:
            raise ValueError(f"branch {b['id']} offers unknown services {sorted(unknown)}")
        branches[b["id"]] = Branch(
            b["id"],
            _text(b["name"]),
            b["address"],
            _text(b["city"]),
            frozenset(b["services"]),
            settings_from_raw(b),
            b.get("observes_holidays", True),
            b.get("step_free", False),
            frozenset(b.get("interpreter_languages", [])),
        )
    policy = raw.get("policy", {})
    return Catalogue(services, branches, _policy(policy), policy.get("video_base_url", ""))


@cache
def load_catalogue() -> Catalogue:
    return catalogue_from(json.loads(_FILE.read_text(encoding="utf-8")))

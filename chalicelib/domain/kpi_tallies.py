"""What each thing that happens adds to the service-quality counters.

The store only adds: a ``Tally`` is a set of increments to one counter item, keyed by Athens
day, agency, team and channel (``day`` None: a gauge of the present, such as the backlog).
The figures (``domain/kpis.py``) are formulas over the sums of these counters, so a dashboard
never reads a case. Every function here is pure; the adapters write the tallies in the same
transaction as the change that causes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from chalicelib.domain.case_aggregate import Case
from chalicelib.domain.case_values import OPEN, Event
from chalicelib.domain.local_time import athens_day

# Upper edges (hours) of the resolve-time histogram; the last bucket is open-ended.
HOUR_BUCKETS: tuple[float, ...] = (1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 240, 360, 720)
# Events that start a tier's clocks afresh (its first-response target with them).
_TIER_STARTS = frozenset({"opened", "escalated", "transferred", "reopened"})
# What makes a resolution not "first contact": anything that sent the case on or back.
_NOT_FIRST_CONTACT = frozenset({"escalated", "transferred", "information_requested", "reopened"})


@dataclass(frozen=True)
class Tally:
    day: date | None
    agency: str
    team: str
    channel: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def where(self) -> tuple[date | None, str, str, str]:
        return (self.day, self.agency, self.team, self.channel)


def merged(tallies: Iterable[Tally]) -> list[Tally]:
    """One tally per counter item (a transaction may touch an item once), zeros left out."""
    sums: dict[tuple[date | None, str, str, str], dict[str, int]] = {}
    for tally in tallies:
        counts = sums.setdefault(tally.where, {})
        for name, delta in tally.counts.items():
            counts[name] = counts.get(name, 0) + delta
    out = []
    for (day, agency, team, channel), counts in sums.items():
        kept = {k: v for k, v in counts.items() if v}
        if kept:
            out.append(Tally(day, agency, team, channel, kept))
    return out


def bucket_of(hours: float) -> int:
    for index, edge in enumerate(HOUR_BUCKETS):
        if hours <= edge:
            return index
    return len(HOUR_BUCKETS)


# --- cases ----------------------------------------------------------------------------


def case_tallies(case: Case, first_new: int) -> list[Tally]:
    """The tallies of the events ``history[first_new:]`` (those this save records)."""
    out: list[Tally] = []
    for index in range(first_new, len(case.history)):
        out.extend(_event_tallies(case, index))
    return merged(out)


def _event_tallies(case: Case, index: int) -> list[Tally]:
    event = case.history[index]
    day, team = athens_day(event.at), event.owner.team

    def add(counts: dict[str, int], at_team: str = team, agency: str = case.agency) -> Tally:
        return Tally(day, agency, at_team, case.channel.value, counts)

    out = _backlog_moves(case, event)
    action = event.action
    if action == "opened":
        out.append(add({"opened": 1}))
    elif action == "resolved":
        out.append(add(_resolved_counts(case, index)))
    elif action == "information_requested" and _first_response_pending(case.history, index):
        out.append(add({"fr_met": 1}))
    elif action == "first_response_missed":
        out.append(add({"fr_missed": 1}))
    elif action == "escalated":
        kind = "esc_deadline" if event.note == "deadline" else "esc_manual"
        left = event.from_owner.team if event.from_owner else team
        out.append(add({kind: 1}, left))
    elif action == "breached":
        out.append(add({"breached": 1}))
    return out


def _resolved_counts(case: Case, index: int) -> dict[str, int]:
    event = case.history[index]
    counts = {"resolved": 1, f"resolved_t{event.tier}": 1}
    earlier = {e.action for e in case.history[:index]}
    if event.tier == 1 and not earlier & _NOT_FIRST_CONTACT:
        counts["fcr"] = 1
    if event.at <= case.clocks.resolution_due:
        counts["res_in_time"] = 1
    if _first_response_pending(case.history, index):
        counts["fr_met"] = 1
    hours = (event.at - case.created_at).total_seconds() / 3600
    counts[f"h{bucket_of(hours)}"] = 1
    return counts


def _first_response_pending(history: Sequence[Event], index: int) -> bool:
    """Whether the event at ``index`` is the tier's first response (an answer or a question
    to the citizen, before the first-response target was missed)."""
    for earlier in reversed(history[:index]):
        if earlier.action in ("first_response_missed", "information_requested", "resolved"):
            return False
        if earlier.action in _TIER_STARTS:
            return True
    return True


def _backlog_moves(case: Case, event: Event) -> list[Tally]:
    """Open cases per agency and owning team, now: -1 where the case leaves, +1 where it goes."""
    out: list[Tally] = []
    channel = case.channel.value
    if event.action == "opened":
        return [Tally(None, case.agency, event.owner.team, channel, {"open": 1})]
    if event.to_status is None:
        return out
    if event.from_status in OPEN and event.from_owner is not None:
        left = (case.transferred_from if event.action == "transferred" else None) or case.agency
        out.append(Tally(None, left, event.from_owner.team, channel, {"open": -1}))
    if event.to_status in OPEN:
        out.append(Tally(None, case.agency, event.owner.team, channel, {"open": 1}))
    return out


# --- callbacks, appointments, surveys ---------------------------------------------------


def callback_requested(at: datetime, agency: str, team: str) -> Tally:
    return Tally(athens_day(at), agency, team, "callback", {"cb_requested": 1})


def callback_outcome(
    at: datetime, agency: str, team: str, outcome: str, attempt: int, gave_up: bool
) -> Tally:
    """An agent's call: reached (at the first try or later), or not reached; ``gave_up``: that
    was the last attempt, the citizen is unreachable."""
    counts: dict[str, int] = {}
    if outcome == "reached":
        counts["cb_reached"] = 1
        if attempt <= 1:
            counts["cb_first_try"] = 1
    elif gave_up:
        counts["cb_unreachable"] = 1
    return Tally(athens_day(at), agency, team, "callback", counts)


def callback_missed(window_end: datetime, agency: str, team: str) -> Tally:
    return Tally(athens_day(window_end), agency, team, "callback", {"cb_missed": 1})


def appointment(at: datetime, agency: str, branch: str, mode: str, what: str) -> Tally:
    """A booking made (``booked``), ``served``, ``no_show`` or ``cancelled``, on the day it
    happened; branch staff count as the team, the mode as the channel."""
    return Tally(athens_day(at), agency, branch, mode, {f"ap_{what}": 1})


def appointment_place(
    slot_start: datetime, agency: str, branch: str, mode: str, delta: int
) -> Tally:
    """A place held (+1) or given back (-1) on the appointment's own day, for utilisation:
    a booking holds its place until cancelled or moved, and still holds it once served or
    missed (the place was used, or wasted, either way)."""
    return Tally(athens_day(slot_start), agency, branch, mode, {"ap_held": delta})


@dataclass(frozen=True)
class SurveyScore:
    """A citizen's answer to a satisfaction survey: whom it is about (the agency, and the team
    that resolved the case or the branch that served the appointment) and the service (a
    case's channel, or the appointment's mode)."""

    at: datetime
    score: int
    agency: str
    team: str
    channel: str


def survey_answered(event: SurveyScore) -> Tally:
    if not 1 <= event.score <= 5:
        raise ValueError("score out of range")
    counts = {"sv_n": 1, "sv_sum": event.score, f"sv_{event.score}": 1}
    return Tally(athens_day(event.at), event.agency, event.team, event.channel, counts)

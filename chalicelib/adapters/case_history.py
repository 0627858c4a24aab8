"""A case's older events in items of their own, so that no history outgrows the case item.

The case item keeps its most recent events inline (``doc.history``) and counts in ``archived``
how many earlier ones live in history items ``CASE#<ref>`` / ``HIST#<index of the first>``,
each a run of consecutive events. Events never change once recorded: a run is written once, in
the same transaction as the save that moves it out of the case item, and read back by one
Query on the case's partition. See docs/dynamodb.md.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.cases import Case, Event, Owner, Status

from .table import Item, KeyRange

# Inline events are left alone until they pass either bound; then the oldest move out, as one
# run, until the KEEP bounds hold. So a save of a long case writes a small case item, and
# events move in batches rather than on every save.
INLINE_MAX_BYTES = 64_000
INLINE_MAX_EVENTS = 200
INLINE_KEEP_BYTES = 16_000
INLINE_KEEP_EVENTS = 20
# A run stays well under DynamoDB's 400 KB an item (an event is at most some tens of KB), and
# what one save moves stays under the 4 MB of a transaction (a case that predates history
# items moves out over a few saves).
RUN_BYTES = 256_000
MOVE_BYTES = 3_000_000


def hist_sk(index: int) -> str:
    return f"HIST#{index:08d}"


def older_range(archived: int) -> KeyRange:
    """The sort keys of the runs that hold a case's first ``archived`` events (archived > 0)."""
    return KeyRange(low=hist_sk(0), high=hist_sk(archived - 1))


def to_archive(case: Case, archived: int) -> int:
    """How many of the case's events live in history items once it is saved, given that
    ``archived`` do now: more only once the inline ones pass a bound, never fewer."""
    sizes = [len(_dump(e).encode()) for e in case.history[archived:]]
    if sum(sizes) <= INLINE_MAX_BYTES and len(sizes) <= INLINE_MAX_EVENTS:
        return archived
    keep = kept = 0
    while (
        keep < min(len(sizes), INLINE_KEEP_EVENTS) and kept + sizes[-1 - keep] <= INLINE_KEEP_BYTES
    ):
        kept += sizes[-1 - keep]
        keep += 1
    moved = moved_bytes = 0
    while moved < len(sizes) - keep and moved_bytes + sizes[moved] <= MOVE_BYTES:
        moved_bytes += sizes[moved]
        moved += 1
    return archived + moved


def history_items(case: Case, first: int, end: int) -> list[Item]:
    """Events ``first`` to ``end`` (excluded) as runs of at most RUN_BYTES each."""
    runs: list[tuple[int, list[str]]] = []
    size = RUN_BYTES
    for index in range(first, end):
        event = _dump(case.history[index])
        if size + len(event.encode()) > RUN_BYTES:
            runs.append((index, []))
            size = 0
        runs[-1][1].append(event)
        size += len(event.encode()) + 1
    return [
        {"pk": f"CASE#{case.reference}", "sk": hist_sk(at), "events": f"[{','.join(events)}]"}
        for at, events in runs
    ]


def events_of(items: Sequence[Item]) -> list[Event]:
    """The events of runs read in key order. Runs follow one another; one that starts before
    the events read so far end is a leftover of an earlier split, and holds the same events."""
    events: list[Event] = []
    for item in items:
        if int(item["sk"].removeprefix("HIST#")) == len(events):
            events.extend(decode_event(e) for e in json.loads(item["events"]))
    return events


# --- what the store holds of a case read or written here ----------------------------
# Keyed by the object, not its fields: the domain's Case knows nothing of storage. A case
# this module has not seen (a copy) counts as having all its events inline.

_archived: dict[int, int] = {}
# How many of its events the store holds (all of them, when it was last read or written): the
# events after those are what a save records, and what the KPI counters count.
_stored: dict[int, int] = {}


def remember(case: Case, archived: int) -> None:
    if id(case) not in _archived:
        weakref.finalize(case, _archived.pop, id(case), None)
        weakref.finalize(case, _stored.pop, id(case), None)
    _archived[id(case)] = archived
    _stored[id(case)] = len(case.history)


def stored_events(case: Case) -> int:
    """Events the store holds; a case this module has not seen counts as fully stored."""
    return _stored.get(id(case), len(case.history))


def archived_of(case: Case) -> int | None:
    return _archived.get(id(case))


# --- encoding -------------------------------------------------------------------


def t(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def encode_owner(owner: Owner | None) -> dict[str, Any] | None:
    return {"team": owner.team, "agent": owner.agent} if owner else None


def decode_owner(raw: dict[str, Any] | None) -> Owner | None:
    return Owner(raw["team"], raw.get("agent")) if raw else None


def encode_event(e: Event) -> dict[str, Any]:
    return {
        "at": t(e.at),
        "actor": e.actor,
        "action": e.action,
        "tier": e.tier,
        "owner": encode_owner(e.owner),
        "from_status": e.from_status.value if e.from_status else None,
        "to_status": e.to_status.value if e.to_status else None,
        "from_owner": encode_owner(e.from_owner),
        "note": e.note,
        "public": e.public,
    }


def decode_event(e: dict[str, Any]) -> Event:
    return Event(
        at=dt(e["at"]),  # type: ignore[arg-type]
        actor=e["actor"],
        action=e["action"],
        tier=e["tier"],
        owner=decode_owner(e["owner"]),  # type: ignore[arg-type]
        from_status=Status(e["from_status"]) if e["from_status"] else None,
        to_status=Status(e["to_status"]) if e["to_status"] else None,
        from_owner=decode_owner(e["from_owner"]),
        note=e["note"],
        public=e["public"],
    )


def _dump(e: Event) -> str:
    return json.dumps(encode_event(e), ensure_ascii=False)

"""Callbacks in the table: the callback item, its window's counter, the one-open-callback lock,
links to the citizen and the case, and the missed-callback counters.

Every rule is a condition the store checks in the same transaction as the change:
a window's ``booked < capacity``, the absence of an open callback for the same phone and
agency, the callback's (and a linked case's) version. See docs/dynamodb.md.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.callbacks import (
    Attempt,
    Callback,
    CallbackExists,
    Event,
    LinkedCaseChanged,
    Outcome,
    Status,
    Window,
    WindowFull,
)
from chalicelib.domain.cases import Case, Owner
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord
from chalicelib.ports.callbacks import Change

from .case_items import case_item, sortable
from .cases import idempotency_item
from .table import (
    Absent,
    AtLeast,
    Below,
    ConditionFailed,
    Delete,
    Equals,
    Item,
    Key,
    KeyRange,
    Operation,
    Put,
    Table,
    Update,
)

QUEUE = "CBQUEUE#"
CLAIMED = "CBAGENT#"
WINDOW_END = "CBWINDOWEND"
MISSED = "CBMISSED"


class TableCallbackRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    # --- writes -----------------------------------------------------------------

    def add(
        self,
        callback: Callback,
        capacity: int,
        *,
        idempotency: IdempotencyRecord | None = None,
        case: Case | None = None,
        identifiers: list[tuple[str, str]] | None = None,
    ) -> None:
        """Books a new callback; raises WindowFull, CallbackExists, AlreadyRecorded or
        LinkedCaseChanged, and then writes nothing."""
        callback.version = 1
        ops: list[Operation] = []
        if idempotency is not None:
            ops.append(Put(idempotency_item(idempotency, callback.requested_at), Absent()))
        first = len(ops)
        ops.append(Put(callback_item(callback), Absent()))
        ops.append(Put(_lock_item(callback), Absent()))
        ops.append(_take_place(callback.window, capacity))
        case_at = None
        if case is not None:
            case_at = len(ops)
            ops.append(_case_op(case))
            ops.append(
                Put(
                    {
                        "pk": f"CASECB#{case.reference}",
                        "sk": f"{sortable(callback.requested_at)}#{callback.reference}",
                        "ref": callback.reference,
                    }
                )
            )
        ops.extend(Put(link) for link in citizen_links(callback, identifiers or []))
        try:
            self._table.transact(ops)
        except ConditionFailed as failure:
            callback.version = 0
            if case is not None:
                case.version -= 1
            if idempotency is not None and failure.index == 0:
                raise AlreadyRecorded(idempotency.key) from None
            if failure.index == first + 1:
                raise CallbackExists("callback") from None
            if failure.index == first + 2:
                raise WindowFull("callback") from None
            if failure.index == case_at:
                raise LinkedCaseChanged("case") from None
            raise

    def save(self, callback: Callback, change: Change | None = None) -> None:
        """Stores a step if nobody changed the callback since it was read (VersionConflict)."""
        change = change or Change()
        expected = callback.version
        callback.version = expected + 1
        ops: list[Operation] = [Put(callback_item(callback), Equals("version", expected))]
        place_at = case_at = None
        if change.take_place is not None:
            place_at = len(ops)
            ops.append(_take_place(callback.window, change.take_place))
        if change.release_place:
            ops.append(
                Update(
                    _window_key(callback.window),
                    add={"booked": -1},
                    condition=AtLeast("booked", 1),
                )
            )
        if change.unlock:
            ops.append(Delete(_lock_key(callback.agency, callback.phone)))
        if change.count_missed:
            day = callback.window.start.astimezone(ATHENS).date()
            ops.append(Update(_missed_key(callback.owner.team, day), add={"missed": 1}))
        if change.case is not None:
            case_at = len(ops)
            ops.append(_case_op(change.case))
        try:
            if len(ops) == 1:
                self._table.write(ops[0])
            else:
                self._table.transact(ops)
        except ConditionFailed as failure:
            callback.version = expected
            if change.case is not None:
                change.case.version -= 1
            if failure.index == place_at:
                raise WindowFull("callback") from None
            if failure.index == case_at:
                raise LinkedCaseChanged("case") from None
            raise VersionConflict("callback", reference=callback.reference) from None

    # --- reads ------------------------------------------------------------------

    def get(self, reference: str) -> Callback:
        item = self._table.get(callback_key(reference))
        if item is None:
            raise NotFound("callback", reference=reference)
        return callback_from_item(item)

    def due(self, team: str, now: datetime, limit: int = 10, pages: int = 10) -> list[Callback]:
        """The team's waiting callbacks that are due: the oldest window first, then by request
        time. A retry waits in its window until its own due time, so those are passed over."""
        high = sortable(now) + "\uffff"
        found: list[Callback] = []
        low = None
        for _ in range(pages):
            items = self._table.query(
                QUEUE + team, KeyRange(low=low, high=high), index="gsi1", limit=limit
            )
            found.extend(c for c in map(callback_from_item, items) if c.due_at <= now)
            if len(found) >= limit or len(items) < limit:
                break
            low = items[-1]["gsi1sk"] + "\x00"
        return found[:limit]

    def claimed_by(self, agent: str, limit: int = 50) -> list[Callback]:
        items = self._table.query(CLAIMED + agent, index="gsi1", limit=limit)
        return [callback_from_item(i) for i in items]

    def window_ended(self, now: datetime, limit: int = 100) -> list[Callback]:
        """Waiting callbacks whose window has ended and that are not yet counted as missed."""
        items = self._table.query(
            WINDOW_END, KeyRange(high=sortable(now) + "\uffff"), index="gsi2", limit=limit
        )
        return [callback_from_item(i) for i in items]

    def overdue(self, limit: int = 100) -> list[Callback]:
        """Open callbacks that missed a window, the most recently missed first."""
        items = self._table.query(MISSED, index="gsi3", limit=limit, newest_first=True)
        return [callback_from_item(i) for i in items]

    def booked(self, team: str, windows: list[Window]) -> dict[datetime, int]:
        """Places taken in the given windows of a team (windows nobody booked are absent)."""
        if not windows:
            return {}
        items = self._table.query(
            f"CBWIN#{team}",
            KeyRange(low=sortable(windows[0].start), high=sortable(windows[-1].start)),
        )
        by_key = {i["sk"]: int(i.get("booked") or 0) for i in items}
        return {w.start: by_key[sortable(w.start)] for w in windows if sortable(w.start) in by_key}

    def missed_count(self, team: str, day: date) -> int:
        item = self._table.get(_missed_key(team, day))
        return int(item["missed"]) if item else 0

    def of_case(self, case_reference: str, limit: int = 20) -> list[Callback]:
        links = self._table.query(f"CASECB#{case_reference}", limit=limit, newest_first=True)
        return [self.get(link["ref"]) for link in links]


# --- items ------------------------------------------------------------------------


def callback_key(reference: str) -> Key:
    return Key(f"CALLBACK#{reference}", "CALLBACK")


def callback_item(callback: Callback) -> Item:
    item: Item = {
        "pk": f"CALLBACK#{callback.reference}",
        "sk": "CALLBACK",
        "version": callback.version,
        "doc": json.dumps(_encode(callback), ensure_ascii=False),
    }
    if callback.status == Status.SCHEDULED:
        item["gsi1pk"] = QUEUE + callback.owner.team
        item["gsi1sk"] = (
            f"{sortable(callback.window.start)}#{sortable(callback.requested_at)}"
            f"#{callback.reference}"
        )
    elif callback.status == Status.CLAIMED and callback.owner.agent:
        item["gsi1pk"] = CLAIMED + callback.owner.agent
        item["gsi1sk"] = f"{sortable(callback.due_at)}#{callback.reference}"
    if callback.waits_for_window_end:
        item["gsi2pk"] = WINDOW_END
        item["gsi2sk"] = f"{sortable(callback.window.end)}#{callback.reference}"
    if callback.is_overdue:
        assert callback.missed_window is not None
        item["gsi3pk"] = MISSED
        item["gsi3sk"] = f"{sortable(callback.missed_window)}#{callback.reference}"
    return item


def citizen_links(callback: Callback, identifiers: list[tuple[str, str]]) -> list[Item]:
    """The single view's entries: under the phone called, and a linked case's identifiers."""
    pairs = dict.fromkeys([("phone", callback.phone), *identifiers])
    return [
        {
            "pk": f"CITIZEN#{kind}#{value}",
            "sk": f"{sortable(callback.requested_at)}#CALLBACK#{callback.reference}",
            "kind": "callback",
            "ref": callback.reference,
            "agency": callback.agency,
        }
        for kind, value in pairs
    ]


def _window_key(window: Window) -> Key:
    return Key(f"CBWIN#{window.team}", sortable(window.start))


def _take_place(window: Window, capacity: int) -> Update:
    return Update(
        _window_key(window),
        add={"booked": 1},
        set={
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "capacity": capacity,
        },
        condition=Below("booked", capacity),
    )


def _lock_key(agency: str, phone: str) -> Key:
    return Key(f"OPENCB#{agency}#{phone}", "OPENCB")


def _lock_item(callback: Callback) -> Item:
    key = _lock_key(callback.agency, callback.phone)
    return {"pk": key.pk, "sk": key.sk, "ref": callback.reference}


def _missed_key(team: str, day: date) -> Key:
    return Key(f"CBSTAT#{team}", f"{day.isoformat()}#missed")


def _case_op(case: Case) -> Put:
    """The linked case's own item, written only if nobody changed it since it was read."""
    expected = case.version
    case.version = expected + 1
    return Put(case_item(case), Equals("version", expected))


# --- encoding ---------------------------------------------------------------------


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _encode(cb: Callback) -> dict[str, Any]:
    return {
        "reference": cb.reference,
        "token_hash": cb.token_hash,
        "agency": cb.agency,
        "phone": cb.phone,
        "language": cb.language,
        "channel": cb.channel,
        "requested_at": _t(cb.requested_at),
        "requested_by": cb.requested_by,
        "window": {"team": cb.window.team, "start": _t(cb.window.start), "end": _t(cb.window.end)},
        "due_at": _t(cb.due_at),
        "status": cb.status.value,
        "owner": {"team": cb.owner.team, "agent": cb.owner.agent},
        "topic": cb.topic,
        "case_reference": cb.case_reference,
        "attempts": [
            {"at": _t(a.at), "agent": a.agent, "outcome": a.outcome.value, "note": a.note}
            for a in cb.attempts
        ],
        "history": [
            {
                "at": _t(e.at),
                "actor": e.actor,
                "action": e.action,
                "owner": {"team": e.owner.team, "agent": e.owner.agent},
                "note": e.note,
            }
            for e in cb.history
        ],
        "missed_window": _t(cb.missed_window),
        "missed_count": cb.missed_count,
        "closed_at": _t(cb.closed_at),
    }


def callback_from_item(item: Item) -> Callback:
    doc = json.loads(item["doc"])
    window = doc["window"]
    return Callback(
        reference=doc["reference"],
        token_hash=doc["token_hash"],
        agency=doc["agency"],
        phone=doc["phone"],
        language=doc["language"],
        channel=doc["channel"],
        requested_at=datetime.fromisoformat(doc["requested_at"]),
        requested_by=doc["requested_by"],
        window=Window(
            window["team"],
            datetime.fromisoformat(window["start"]),
            datetime.fromisoformat(window["end"]),
        ),
        due_at=datetime.fromisoformat(doc["due_at"]),
        status=Status(doc["status"]),
        owner=Owner(doc["owner"]["team"], doc["owner"]["agent"]),
        topic=doc["topic"],
        case_reference=doc["case_reference"],
        attempts=[
            Attempt(datetime.fromisoformat(a["at"]), a["agent"], Outcome(a["outcome"]), a["note"])
            for a in doc["attempts"]
        ],
        history=[
            Event(
                datetime.fromisoformat(e["at"]),
                e["actor"],
                e["action"],
                Owner(e["owner"]["team"], e["owner"]["agent"]),
                e["note"],
            )
            for e in doc["history"]
        ],
        missed_window=_dt(doc["missed_window"]),
        missed_count=doc["missed_count"],
        closed_at=_dt(doc["closed_at"]),
        version=int(item["version"]),
    )

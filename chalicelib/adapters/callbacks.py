"""Callbacks in the table: the callback item, its window's counter, the one-open-callback lock,
links to the citizen and the case, and the missed-callback counters.

Every rule is a condition the store checks in the same transaction as the change:
a window's ``booked < capacity``, the absence of an open callback for the same phone and
agency, the callback's (and a linked case's) version. Each operation of a transaction is
named in a TransactionPlan, so a failed condition maps to one domain error.
See docs/dynamodb.md; the item layout is in callback_items.
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.callbacks import Callback, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import identifiers_of
from chalicelib.domain.errors import (
    CallbackExists,
    LinkedCaseChanged,
    NotFound,
    VersionConflict,
    WindowFull,
)
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord
from chalicelib.ports.callbacks import Change

from .callback_items import (
    CLAIM_HELD,
    CLAIMED,
    MISSED,
    QUEUE,
    WINDOW_END,
    callback_from_item,
    callback_item,
    callback_key,
    case_link_item,
    citizen_links,
    count_missed,
    give_back_place,
    lock_item,
    missed_key,
    take_place,
    unlock,
)
from .case_history import archived_of, remember
from .case_items import sortable
from .cases import idempotency_item, next_version
from .kpi_counters import tally_ops
from .table import Absent, ConditionFailed, Equals, KeyRange, Operation, Put, Table, TransactionPlan
from .unit_of_work import carried

# What each operation stands for in a transaction (the meaning of its failed condition).
RECORDED = "idempotency key already recorded"
NEW = "new callback"
VERSION = "callback version"
OPEN = "open callback of the phone"
PLACE = "place in the window"
RELEASE = "place given back"
CASE = "linked case version"


class TableCallbackRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    # --- writes -----------------------------------------------------------------

    def add(
        self, callback: Callback, change: Change, idempotency: IdempotencyRecord | None = None
    ) -> None:
        """Books a new callback; raises WindowFull, CallbackExists, AlreadyRecorded or
        LinkedCaseChanged, and then writes nothing."""
        if change.take_place is None:
            raise ValueError("a new callback takes a place in its window")
        case = change.case
        callback.version = 1
        plan = TransactionPlan()
        if idempotency is not None:
            plan.add(RECORDED, Put(idempotency_item(idempotency, callback.requested_at), Absent()))
        plan.add(NEW, Put(callback_item(callback), Absent()))
        plan.add(OPEN, Put(lock_item(callback), Absent()))
        plan.add(PLACE, take_place(callback.window, change.take_place))
        archived = None
        if case is not None:
            case_ops, archived = _case_ops(case)
            plan.add(CASE, *case_ops, Put(case_link_item(case.reference, callback)))
        identifiers = identifiers_of(case.citizen) if case is not None else []
        plan.add("links", *(Put(link) for link in citizen_links(callback, identifiers)))
        plan.add("kpis", *tally_ops(change.tallies))
        plan.add("effects", *carried())  # its window-end timer and the citizen's text
        failed = plan.run(self._table)
        if failed is None:
            if case is not None and archived is not None:
                remember(case, archived)
            return
        callback.version = 0
        if case is not None:
            case.version -= 1
        if failed == RECORDED:
            assert idempotency is not None
            raise AlreadyRecorded(idempotency.key)
        raise _failure(failed, callback)

    def save(self, callback: Callback, change: Change | None = None) -> None:
        """Stores a step if nobody changed the callback since it was read (VersionConflict)."""
        change = change or Change()
        expected = callback.version
        callback.version = expected + 1
        plan = TransactionPlan()
        plan.add(VERSION, Put(callback_item(callback), Equals("version", expected)))
        if change.take_place is not None:
            plan.add(PLACE, take_place(callback.window, change.take_place))
        if change.release_place:
            plan.add(RELEASE, give_back_place(callback.window))
        if change.unlock:
            plan.add("unlock", unlock(callback))
        if change.count_missed:
            plan.add("missed", count_missed(callback))
        archived = None
        if change.case is not None:
            case_ops, archived = _case_ops(change.case)
            plan.add(CASE, *case_ops)
        plan.add("kpis", *tally_ops(change.tallies))
        plan.add("effects", *carried())  # the step's timer or message, in the same transaction
        failed = self._run(plan)
        if failed is None:
            if change.case is not None and archived is not None:
                remember(change.case, archived)
            return
        callback.version = expected
        if change.case is not None:
            change.case.version -= 1
        raise _failure(failed, callback)

    def _run(self, plan: TransactionPlan) -> str | None:
        """A plan of one operation is a single conditional write, not a transaction."""
        if len(plan.ops) > 1:
            return plan.run(self._table)
        try:
            self._table.write(plan.ops[0])
        except ConditionFailed:
            return plan.meaning[0]
        return None

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

    def claimed_before(self, before: datetime, limit: int = 100) -> list[Callback]:
        """Callbacks still held by an agent who took them at or before ``before``."""
        items = self._table.query(
            CLAIM_HELD, KeyRange(high=sortable(before) + "\uffff"), index="gsi2", limit=limit
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

    def missed_counts(self, teams: list[str], day: date) -> dict[str, int]:
        items = self._table.get_many([missed_key(team, day) for team in teams])
        return {team: int(i["missed"]) if i else 0 for team, i in zip(teams, items, strict=True)}

    def of_case(self, case_reference: str, limit: int = 20) -> list[Callback]:
        """The case's callbacks, newest first: its links, then the callbacks in one batch."""
        links = self._table.query(f"CASECB#{case_reference}", limit=limit, newest_first=True)
        items = self._table.get_many([callback_key(link["ref"]) for link in links])
        for link, item in zip(links, items, strict=True):
            if item is None:
                raise NotFound("callback", reference=link["ref"])
        return [callback_from_item(i) for i in items if i is not None]


def _case_ops(case: Case) -> tuple[list[Operation], int]:
    """The linked case's save (written only if nobody changed it since it was read), moving
    its older events out as the case repository does; a case read through that repository
    knows how many are already out, one built otherwise keeps its history inline."""
    return next_version(case, archived_of(case) or 0)


def _failure(meaning: str, callback: Callback) -> Exception:
    """The domain error of a failed condition, by what the failing operation stands for."""
    if meaning == OPEN:
        return CallbackExists("callback")
    if meaning == PLACE:
        return WindowFull("callback")
    if meaning == CASE:
        return LinkedCaseChanged("case")
    if meaning in (VERSION, RELEASE):
        return VersionConflict("callback", reference=callback.reference)
    # A new callback's reference already taken: no rule of the domain, a failure of the store.
    return ConditionFailed()

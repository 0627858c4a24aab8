"""Cases in the table: one item per case, its older events as history items in the case's
partition (see case_history), and one link item per citizen identifier."""

from __future__ import annotations

import json
from datetime import datetime

from chalicelib.domain.cases import Case
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.domain.kpi_tallies import case_tallies
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord

from .case_history import (
    archived_of,
    history_items,
    older_range,
    remember,
    stored_events,
    to_archive,
)
from .case_items import case_from_item, case_item, case_key, citizen_link_items, sortable
from .kpi_counters import unless_deferred
from .table import (
    Absent,
    ConditionFailed,
    Equals,
    Item,
    KeyRange,
    Operation,
    Put,
    StoreRefused,
    Table,
)
from .unit_of_work import carried


class TableCaseRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, case: Case, idempotency: IdempotencyRecord | None = None) -> None:
        case.version = 1
        ops: list[Operation] = []
        if idempotency is not None:
            ops.append(Put(idempotency_item(idempotency, case.created_at), Absent()))
        ops.append(Put(case_item(case), Absent()))
        ops.extend(Put(link) for link in citizen_link_items(case))
        ops.extend(unless_deferred(case_tallies(case, 0)))  # its KPI counters
        ops.extend(carried())  # the case's timer and message, in the same transaction
        try:
            self._table.transact(ops)
        except ConditionFailed as failure:
            case.version = 0
            if idempotency is not None and failure.index == 0:
                raise AlreadyRecorded(idempotency.key) from None
            raise
        except StoreRefused:
            case.version = 0
            raise
        remember(case, 0)

    def get(self, reference: str) -> Case:
        item = self._table.get(case_key(reference))
        if item is None:
            raise NotFound("case", reference=reference)
        return self._whole(item)

    def save(self, case: Case) -> None:
        """Writes the case if nobody changed it since it was read; events that leave the case
        item become history items in the same transaction."""
        expected = case.version
        puts, after = next_version(case, self._archived(case))
        ops = [*puts, *carried()]  # the change's timer and messages, in the same transaction
        try:
            if len(ops) == 1:
                self._table.write(ops[0])
            else:
                self._table.transact(ops)
        except (ConditionFailed, StoreRefused) as error:
            case.version = expected
            if isinstance(error, ConditionFailed):
                raise VersionConflict("case", reference=case.reference) from None
            raise
        remember(case, after)

    def queue(self, team: str, limit: int = 100) -> list[Case]:
        items = self._table.query(f"QUEUE#{team}", index="gsi1", limit=limit)
        return [self._whole(i) for i in items]

    def open_queue(self, limit: int = 100) -> list[Case]:
        """Open cases of every team, chased first then the oldest due."""
        items = self._table.query("OPENQUEUE", index="gsi4", limit=limit)
        return [self._whole(i) for i in items]

    def due(self, now: datetime, limit: int = 100) -> list[Case]:
        items = self._table.query(
            "DEADLINE", KeyRange(high=sortable(now) + "\uffff"), index="gsi2", limit=limit
        )
        return [self._whole(i) for i in items]

    def breached(self, limit: int = 100) -> list[Case]:
        items = self._table.query("BREACHED", index="gsi3", limit=limit, newest_first=True)
        return [self._whole(i) for i in items]

    def _whole(self, item: Item) -> Case:
        """The case with its whole history: a case item alone holds only the latest events."""
        archived = int(item.get("archived", 0))
        older = (
            self._table.query(item["pk"], older_range(archived), consistent=True)
            if archived
            else []
        )
        return case_from_item(item, older)

    def _archived(self, case: Case) -> int:
        """How many of the stored case's events are history items: known for a case read or
        written here; otherwise read from the stored version this save is conditioned on."""
        known = archived_of(case)
        if known is not None:
            return known
        stored = self._table.get(case_key(case.reference))
        if stored is None or int(stored["version"]) != case.version:
            raise VersionConflict("case", reference=case.reference)
        return int(stored.get("archived", 0))


def next_version(case: Case, archived: int) -> tuple[list[Operation], int]:
    """A save of the case at its next version: the conditional put of its item (first), the
    history items the save moves out of it, given that ``archived`` events are in history items
    now, and the KPI counters of its new events (queued in the unit of work if one is open);
    and how many events are archived once it is written. Bumps ``case.version``: a caller whose
    write fails puts it back. Every writer of a case item goes through here, so no history
    outgrows it and no change escapes the counters."""
    expected = case.version
    after = to_archive(case, archived)
    case.version = expected + 1
    put = Put(case_item(case, after), Equals("version", expected))
    counters = unless_deferred(case_tallies(case, stored_events(case)))
    return [put, *map(Put, history_items(case, archived, after)), *counters], after


def idempotency_item(record: IdempotencyRecord, now: datetime) -> dict:
    return {
        "pk": f"IDEM#{record.scope}#{record.key}",
        "sk": "IDEM",
        "fingerprint": record.fingerprint,
        "response": json.dumps(record.response, ensure_ascii=False),
        "status": record.status,
        # DynamoDB's TTL removes records a day later; a retry after that is a new request.
        "expires_at": int(now.timestamp()) + 86400,
    }

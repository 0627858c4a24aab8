"""Cases in the table: one item per case, plus one link item per citizen identifier."""

from __future__ import annotations

import json
from datetime import datetime

from chalicelib.domain.cases import Case
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord

from .case_items import case_from_item, case_item, case_key, citizen_link_items, sortable
from .table import Absent, ConditionFailed, Equals, KeyRange, Operation, Put, Table


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
        try:
            self._table.transact(ops)
        except ConditionFailed as failure:
            case.version = 0
            if idempotency is not None and failure.index == 0:
                raise AlreadyRecorded(idempotency.key) from None
            raise

    def get(self, reference: str) -> Case:
        item = self._table.get(case_key(reference))
        if item is None:
            raise NotFound("case", reference=reference)
        return case_from_item(item)

    def save(self, case: Case) -> None:
        expected = case.version
        case.version = expected + 1
        try:
            self._table.write(Put(case_item(case), Equals("version", expected)))
        except ConditionFailed:
            case.version = expected
            raise VersionConflict("case", reference=case.reference) from None

    def queue(self, team: str, limit: int = 100) -> list[Case]:
        items = self._table.query(f"QUEUE#{team}", index="gsi1", limit=limit)
        return [case_from_item(i) for i in items]

    def due(self, now: datetime, limit: int = 100) -> list[Case]:
        items = self._table.query(
            "DEADLINE", KeyRange(high=sortable(now) + "\uffff"), index="gsi2", limit=limit
        )
        return [case_from_item(i) for i in items]

    def breached(self, limit: int = 100) -> list[Case]:
        items = self._table.query("BREACHED", index="gsi3", limit=limit, newest_first=True)
        return [case_from_item(i) for i in items]


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

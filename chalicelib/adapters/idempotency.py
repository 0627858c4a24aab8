"""Reading back the first answer to a retried write (written with the write itself)."""

from __future__ import annotations

import json

from chalicelib.ports import IdempotencyRecord

from .table import Key, Table


class TableIdempotencyLog:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        item = self._table.get(Key(f"IDEM#{scope}#{key}", "IDEM"))
        if item is None:
            return None
        return IdempotencyRecord(
            scope, key, item["fingerprint"], json.loads(item["response"]), int(item["status"])
        )

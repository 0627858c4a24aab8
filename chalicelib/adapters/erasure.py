"""Erasure orders (``ERASURE#<id>``) and the removal of a citizen's single-view links.

The order names the citizen by the keyed hash of the identifier, so the link partition
(``CITIZEN#<kind>#<hash>``) is found from it without keeping the identifier anywhere.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.citizen_view import Link
from chalicelib.domain.erasure import ErasureOrder

from .case_items import RETAIN, sortable
from .citizen_view import link_of
from .pseudonyms import citizen_partition
from .table import Absent, Delete, Item, Key, KeyRange, Put, Table
from .unit_of_work import carried


def order_key(order_id: str) -> Key:
    return Key(f"ERASURE#{order_id}", "ERASURE")


class TableErasures:
    def __init__(self, table: Table) -> None:
        self._table = table

    def order(self, order: ErasureOrder) -> None:
        put = Put(_item(order), Absent())
        self._table.transact([put, *carried()])  # the order and its timer, together

    def get(self, order_id: str) -> ErasureOrder | None:
        item = self._table.get(order_key(order_id))
        return _order(item) if item else None

    def finish(self, order: ErasureOrder) -> None:
        self._table.write(Put(_item(order)))

    def links(self, kind: str, subject: str, limit: int = 100) -> list[Link]:
        items = self._table.query(f"CITIZEN#{kind}#{subject}", limit=limit, newest_first=True)
        return [link_of(i) for i in items]

    def retained(self, before: datetime, limit: int = 100) -> list[tuple[str, str]]:
        bounds = KeyRange(high=sortable(before))
        items = self._table.query(RETAIN, bounds, index="gsi3", limit=limit)
        found = [str(i["gsi3sk"]).split("#")[1:3] for i in items]
        return [(kind, ref) for kind, ref in found]

    def forget(self, identifiers: list[tuple[str, str]], refs: set[str]) -> None:
        for kind, value in identifiers:
            for item in self._table.query(citizen_partition(kind, value)):
                if item.get("ref") in refs:
                    self._table.write(Delete(Key(item["pk"], item["sk"])))


def _item(order: ErasureOrder) -> Item:
    return {
        "pk": order_key(order.id).pk,
        "sk": "ERASURE",
        "kind": order.kind,
        "subject": order.subject,
        "reason": order.reason,
        "by": order.by,
        "at": order.at.isoformat(),
        "done_at": order.done_at.isoformat() if order.done_at else None,
        "erased": order.erased,
        "kept": order.kept,
    }


def _order(item: Item) -> ErasureOrder:
    done = item.get("done_at")
    return ErasureOrder(
        id=str(item["pk"]).removeprefix("ERASURE#"),
        kind=item["kind"],
        subject=item["subject"],
        reason=item["reason"],
        by=item["by"],
        at=datetime.fromisoformat(item["at"]),
        done_at=datetime.fromisoformat(done) if done else None,
        erased=int(item.get("erased") or 0),
        kept=int(item.get("kept") or 0),
    )

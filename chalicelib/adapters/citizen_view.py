"""The single view's index and the access record in the table.

Each feature writes a link item per citizen identifier with its entity, in the same
transaction (``CITIZEN#<kind>#<keyed hash of the value>``, sorted by creation time); this
adapter only reads them. Access records are written once and never changed:
``ACCESS#<yyyy-mm>`` partitions, with indexes by agent (gsi1) and by citizen (gsi3, by the
identifier's hash).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import AccessRecord, Link
from chalicelib.ports.citizen_view import AccessLog

from .booking_items import booking_from_item
from .booking_keys import booking_key
from .callback_items import callback_from_item, callback_key
from .case_history import older_range
from .case_items import case_from_item, case_key, sortable
from .pseudonyms import citizen_partition
from .table import Absent, Item, Put, Table

_SORTABLE = "%Y-%m-%dT%H:%M:%S.%fZ"
ACCESS_RECORD_RETENTION_SECONDS = 2 * 366 * 86400
_LINK_FIELDS = {"pk", "sk", "kind", "ref", "agency"}
_ENTITY_KEYS = {"case": case_key, "callback": callback_key, "booking": booking_key}
_DECODERS = {"callback": callback_from_item, "booking": booking_from_item}
# Where each part of the access record is read: its partition's prefix and index.
ACCESS_PARTITIONS: dict[str, tuple[str, str | None]] = {
    "agent": ("ACCESSBY", "gsi1"),
    "subject": ("ACCESSOF", "gsi3"),
    "month": ("ACCESS", None),
}


class TableCitizenView:
    def __init__(self, table: Table) -> None:
        self._table = table

    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The citizen's dealings under one identifier, newest first."""
        items = self._table.query(citizen_partition(kind, value), limit=limit, newest_first=True)
        return [link_of(i) for i in items]

    def entities(self, links: list[Link]) -> dict[tuple[str, str], Any]:
        """One BatchGetItem for every linked case, callback and booking; a long case's older
        events cost one more query of its partition (as every read of a whole case)."""
        wanted = [(link.kind, link.ref) for link in links if link.kind in _ENTITY_KEYS]
        items = self._table.get_many([_ENTITY_KEYS[kind](ref) for kind, ref in wanted])
        found: dict[tuple[str, str], Any] = {}
        for (kind, ref), item in zip(wanted, items, strict=True):
            if item is None:
                continue
            found[kind, ref] = self._case(item) if kind == "case" else _DECODERS[kind](item)
        return found

    def _case(self, item: Item) -> Case:
        archived = int(item.get("archived", 0))
        older = older_range(archived)
        return case_from_item(item, self._table.query(item["pk"], older) if archived else [])

    def record(self, access: AccessRecord) -> None:
        at = sortable(access.at)
        month = access.at.astimezone(ATHENS).strftime("%Y-%m")
        self._table.write(
            Put(
                {
                    "pk": f"ACCESS#{month}",
                    "sk": f"{at}#{uuid.uuid4().hex}",
                    "gsi1pk": f"ACCESSBY#{access.agent}",
                    "gsi1sk": at,
                    "gsi3pk": f"ACCESSOF#{access.subject_hash}",
                    "gsi3sk": at,
                    "at": access.at.isoformat(),
                    "agent": access.agent,
                    "subject_kind": access.subject_kind,
                    "subject_hash": access.subject_hash,
                    "reason": access.reason,
                    "results": access.results,
                    # Kept two years, then removed by the table's TTL (both stores).
                    "expires_at": int(access.at.timestamp()) + ACCESS_RECORD_RETENTION_SECONDS,
                },
                Absent(),
            )
        )

    def access_log(self, of: AccessLog, limit: int = 100) -> list[AccessRecord]:
        pk, index = ACCESS_PARTITIONS[of.by]
        items = self._table.query(f"{pk}#{of.value}", index=index, limit=limit, newest_first=True)
        return [_access(i) for i in items]


def link_of(item: Item) -> Link:
    stamp = str(item["sk"]).split("#", 1)[0]
    try:
        created = datetime.strptime(stamp, _SORTABLE).replace(tzinfo=UTC)
    except ValueError:
        # A link written in another shape still shows, dated by what it says (or not at all).
        created = datetime.fromisoformat(item.get("created_at") or "1970-01-01T00:00:00+00:00")
    extra = tuple(
        (k, str(v)) for k, v in sorted(item.items()) if k not in _LINK_FIELDS and v is not None
    )
    return Link(item["kind"], item["ref"], created.astimezone(ATHENS), item.get("agency"), extra)


def _access(item: Item) -> AccessRecord:
    return AccessRecord(
        at=datetime.fromisoformat(item["at"]),
        agent=item["agent"],
        subject_kind=item["subject_kind"],
        subject_hash=item["subject_hash"],
        reason=item["reason"],
        results=int(item.get("results") or 0),
    )

"""How bookings, slot counters, branch settings and waitlist entries are laid out as items.

One approach for every entity with a document: a versioned item whose ``doc`` is the
entity as JSON, written and read through a table of ``Field``s (the document's keys, in
order, each with how its value is dumped and loaded). Branch settings keep the shape of a
branch's entry in data/branches.json (``booking_data``). Keys are in ``booking_keys``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.booking_data import settings_from_raw, settings_to_raw
from chalicelib.domain.bookings import Booking, BookingCitizen, BookingEvent, Channel, Status
from chalicelib.domain.catalogue import Accommodation, BranchSettings, Mode
from chalicelib.domain.erasure import retained_since
from chalicelib.domain.slots import Slot
from chalicelib.domain.waitlist import WaitlistEntry, WaitStatus

from .booking_keys import (
    active_key,
    block_key,
    booking_key,
    branch_day_partition,
    due_partition,
    due_shard,
    entry_key,
    no_show_partition,
    settings_key,
    waiting_guard_key,
    waitlist_partition,
)
from .case_items import retention_index, sortable
from .pseudonyms import citizen_partition
from .table import Item, Key

# --- documents -----------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Field:
    """One attribute of an entity as one key of its stored document."""

    name: str
    dump: Callable[[Any], Any] = _same
    load: Callable[[Any], Any] = _same


def _instant(name: str) -> Field:
    return Field(name, lambda v: v.isoformat() if v else None, _parsed)


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _choice(name: str, kind: Callable[[Any], Any]) -> Field:
    return Field(name, lambda v: v.value, kind)


def _dump_slot(slot: Slot | None) -> dict[str, Any] | None:
    if slot is None:
        return None
    return {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "units": [u.isoformat() for u in slot.units],
    }


def _load_slot(raw: dict[str, Any] | None) -> Slot | None:
    if raw is None:
        return None
    return Slot(
        datetime.fromisoformat(raw["start"]),
        datetime.fromisoformat(raw["end"]),
        tuple(datetime.fromisoformat(u) for u in raw["units"]),
    )


def _dump_history(history: Iterable[BookingEvent]) -> list[dict[str, Any]]:
    return [
        {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "note": e.note}
        for e in history
    ]


def _load_history(raw: Iterable[dict[str, Any]]) -> list[BookingEvent]:
    return [
        BookingEvent(datetime.fromisoformat(e["at"]), e["actor"], e["action"], e["note"])
        for e in raw
    ]


def _shared(*later: Field) -> tuple[Field, ...]:
    """The fields a booking and a waitlist entry share, up to where they differ."""
    return (
        Field("token_hash"),
        Field("branch"),
        Field("service"),
        _choice("mode", Mode),
        *later,
    )


_CITIZEN = Field("citizen", vars, lambda raw: BookingCitizen(**raw))

BOOKING_FIELDS = (
    Field("code"),
    *_shared(Field("slot", _dump_slot, _load_slot)),
    _CITIZEN,
    Field("language"),
    _instant("created_at"),
    _choice("status", Status),
    Field(
        "accommodations",
        lambda v: sorted(a.value for a in v),
        lambda v: frozenset(Accommodation(a) for a in v),
    ),
    Field("interpreter_language"),
    Field("accommodation_note", load=lambda v: v or ""),
    _choice("channel", Channel),
    Field("booked_by"),
    Field("join_url"),
    _instant("reminder_due"),
    _instant("checked_in_at"),
    Field("sequence"),
    Field("history", _dump_history, _load_history),
)

ENTRY_FIELDS = (
    Field("id"),
    *_shared(Field("day", date.isoformat, date.fromisoformat)),
    _CITIZEN,
    Field("language"),
    _instant("joined_at"),
    Field("ticket"),
    _choice("status", WaitStatus),
    Field("offer", _dump_slot, _load_slot),
    _instant("offer_expires_at"),
    Field("booking_code"),
)


def _dumped(entity: Any, fields: Sequence[Field]) -> dict[str, Any]:
    return {f.name: f.dump(getattr(entity, f.name)) for f in fields}


def _loaded(doc: dict[str, Any], fields: Sequence[Field]) -> dict[str, Any]:
    # A key added later is absent from older documents: it loads as None (or its default).
    return {f.name: f.load(doc.get(f.name)) for f in fields}


def _document(key: Key, version: int, doc: Any, status: str | None = None) -> Item:
    """A versioned item holding an entity's document (and its status, for a glance)."""
    item: Item = {"pk": key.pk, "sk": key.sk, "version": version}
    if status is not None:
        item["status"] = status
    item["doc"] = json.dumps(doc, ensure_ascii=False)
    return item


def _document_of(item: Item) -> Any:
    return json.loads(item["doc"])


def _due_index(item: Item, ref: str, due: datetime | None) -> Item:
    """An item with a timer still to run is in the sweeper's index (gsi2), by due time."""
    if due is not None:
        item["gsi2pk"] = due_partition(due_shard(ref))
        item["gsi2sk"] = f"{sortable(due)}#{ref}"
    return item


# --- bookings ------------------------------------------------------------------------


def booking_item(booking: Booking, next_due: datetime | None) -> Item:
    doc = _dumped(booking, BOOKING_FIELDS)
    item = _document(booking_key(booking.code), booking.version, doc, booking.status.value)
    # The branch's day list: every booking of the day, in time order.
    item["gsi1pk"] = branch_day_partition(booking.branch, booking.local_day)
    item["gsi1sk"] = f"{sortable(booking.start)}#{booking.code}"
    retention_index(item, retained_since(booking), "booking", booking.code)
    return _due_index(item, booking.code, next_due)


def booking_from_item(item: Item) -> Booking:
    fields = _loaded(_document_of(item), BOOKING_FIELDS)
    slot = fields.pop("slot")
    return Booking(
        **fields, start=slot.start, end=slot.end, units=slot.units, version=int(item["version"])
    )


# --- waitlist entries ----------------------------------------------------------------


def entry_item(entry: WaitlistEntry) -> Item:
    doc = _dumped(entry, ENTRY_FIELDS)
    item = _document(entry_key(entry.id), entry.version, doc, entry.status.value)
    if entry.is_waiting:
        # In line: the first waiting entry of the day is the next to get an offer.
        item["gsi1pk"] = waitlist_partition(entry.branch, entry.service, entry.mode, entry.day)
        item["gsi1sk"] = f"{entry.ticket:010d}#{entry.id}"
        # And in the branch's lines: an edit of desks or closures finds them in one query.
        item["gsi4pk"] = f"WAITING#{entry.branch}"
        item["gsi4sk"] = f"{entry.service}#{entry.mode.value}#{entry.day}#{item['gsi1sk']}"
    return _due_index(item, entry.id, entry.next_due())


def entry_from_item(item: Item) -> WaitlistEntry:
    fields = _loaded(_document_of(item), ENTRY_FIELDS)
    return WaitlistEntry(**fields, version=int(item["version"]))


# --- branch settings -----------------------------------------------------------------


def settings_item(branch: str, settings: BranchSettings, version: int) -> Item:
    return _document(settings_key(branch), version, settings_to_raw(settings))


def settings_from_item(item: Item) -> tuple[BranchSettings, int]:
    return settings_from_raw(_document_of(item)), int(item["version"])


# --- small items ---------------------------------------------------------------------


def active_item(booking: Booking) -> Item:
    key = active_key(booking.citizen.amka, booking.service)
    return {"pk": key.pk, "sk": key.sk, "code": booking.code}


def no_show_key(booking: Booking, at: datetime) -> Key:
    return Key(
        no_show_partition(booking.citizen.amka, booking.service),
        f"AT#{sortable(at)}#{booking.code}",
    )


def no_show_item(booking: Booking, at: datetime) -> Item:
    key = no_show_key(booking, at)
    return {
        "pk": key.pk,
        "sk": key.sk,
        "at": at.isoformat(),
        "code": booking.code,
    }


def block_item(amka: str, service: str, until: datetime, caused_by: str | None = None) -> Item:
    key = block_key(amka, service)
    item: Item = {
        "pk": key.pk,
        "sk": key.sk,
        # Epoch seconds, so that a booking's transaction can test it with Below(now).
        "until": int(until.timestamp()),
        "until_at": until.isoformat(),
    }
    if caused_by:
        # The booking whose no-show set it: a late check-in of that booking lifts it.
        item["caused_by"] = caused_by
    return item


def booking_link_items(
    booking: Booking, identifiers: list[tuple[str, str]], created: datetime
) -> list[Item]:
    return [
        {
            "pk": citizen_partition(kind, value),
            "sk": f"{sortable(created)}#BOOKING#{booking.code}",
            "kind": "booking",
            "ref": booking.code,
        }
        for kind, value in identifiers
    ]


def waiting_guard_item(entry: WaitlistEntry) -> Item:
    key = waiting_guard_key(entry)
    return {"pk": key.pk, "sk": key.sk, "id": entry.id}

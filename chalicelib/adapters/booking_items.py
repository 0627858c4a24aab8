"""How bookings, slot counters, branch settings and waitlists are laid out as table items.

See docs/dynamodb.md ("Bookings") for the access patterns these keys serve.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from chalicelib.domain.bookings import (
    Accommodation,
    Booking,
    BookingCitizen,
    BookingEvent,
    Channel,
    Mode,
    Status,
)
from chalicelib.domain.slots import Slot
from chalicelib.domain.waitlist import WaitlistEntry, WaitStatus

from .case_items import sortable
from .table import Item, Key

# Overdue bookings are indexed under a few partitions, so that a rush of bookings
# does not pile every write of the index onto one partition key; the sweeper reads all.
DUE_SHARDS = 4


def due_partition(shard: int) -> str:
    return f"BOOKINGDUE#{shard}"


def _shard(ref: str) -> int:
    return int(hashlib.sha256(ref.encode()).hexdigest(), 16) % DUE_SHARDS


# --- keys ----------------------------------------------------------------------------


def slot_partition(branch: str, service: str, mode: Mode) -> str:
    """All of a branch's slot counters for one service: availability is one Query."""
    return f"SLOTS#{branch}#{service}#{mode.value}"


def slot_key(branch: str, service: str, mode: Mode, unit: datetime) -> Key:
    return Key(slot_partition(branch, service, mode), sortable(unit))


def booking_key(code: str) -> Key:
    return Key(f"BOOKING#{code}", "BOOKING")


def active_key(amka: str, service: str) -> Key:
    return Key(f"ACTIVE#{amka}#{service}", "ACTIVE")


def no_show_partition(amka: str, service: str) -> str:
    return f"NOSHOW#{amka}#{service}"


def block_key(amka: str, service: str) -> Key:
    return Key(no_show_partition(amka, service), "BLOCK")


def branch_day_partition(branch: str, day: date) -> str:
    return f"BRANCHDAY#{branch}#{day.isoformat()}"


def settings_key(branch: str) -> Key:
    return Key(f"BRANCH#{branch}", "SETTINGS")


def entry_key(entry_id: str) -> Key:
    return Key(f"WAIT#{entry_id}", "WAIT")


def waitlist_partition(branch: str, service: str, mode: Mode, day: date) -> str:
    return f"WAITLIST#{branch}#{service}#{mode.value}#{day.isoformat()}"


def waiting_guard_key(entry: WaitlistEntry) -> Key:
    return Key(
        f"WAITING#{entry.citizen.amka}#{entry.branch}#{entry.service}#{entry.mode.value}"
        f"#{entry.day.isoformat()}",
        "WAITING",
    )


# --- items ---------------------------------------------------------------------------


def booking_item(booking: Booking, next_due: datetime | None) -> Item:
    item: Item = {
        "pk": f"BOOKING#{booking.code}",
        "sk": "BOOKING",
        "version": booking.version,
        "status": booking.status.value,
        "doc": json.dumps(_encode_booking(booking), ensure_ascii=False),
        # The branch's day list: every booking of the day, in time order.
        "gsi1pk": branch_day_partition(booking.branch, booking.local_day),
        "gsi1sk": f"{sortable(booking.start)}#{booking.code}",
    }
    if next_due is not None:
        item["gsi2pk"] = due_partition(_shard(booking.code))
        item["gsi2sk"] = f"{sortable(next_due)}#{booking.code}"
    return item


def active_item(booking: Booking) -> Item:
    key = active_key(booking.citizen.amka, booking.service)
    return {"pk": key.pk, "sk": key.sk, "code": booking.code}


def no_show_item(booking: Booking, at: datetime) -> Item:
    return {
        "pk": no_show_partition(booking.citizen.amka, booking.service),
        "sk": f"AT#{sortable(at)}#{booking.code}",
        "at": at.isoformat(),
        "code": booking.code,
    }


def block_item(amka: str, service: str, until: datetime) -> Item:
    key = block_key(amka, service)
    return {
        "pk": key.pk,
        "sk": key.sk,
        # Epoch seconds, so that a booking's transaction can test it with Below(now).
        "until": int(until.timestamp()),
        "until_at": until.isoformat(),
    }


def booking_link_items(
    booking: Booking, identifiers: list[tuple[str, str]], created: datetime
) -> list[Item]:
    return [
        {
            "pk": f"CITIZEN#{kind}#{value}",
            "sk": f"{sortable(created)}#BOOKING#{booking.code}",
            "kind": "booking",
            "ref": booking.code,
        }
        for kind, value in identifiers
    ]


def entry_item(entry: WaitlistEntry) -> Item:
    item: Item = {
        "pk": f"WAIT#{entry.id}",
        "sk": "WAIT",
        "version": entry.version,
        "status": entry.status.value,
        "doc": json.dumps(_encode_entry(entry), ensure_ascii=False),
    }
    if entry.is_waiting:
        # In line: the first waiting entry of the day is the next to get an offer.
        item["gsi1pk"] = waitlist_partition(entry.branch, entry.service, entry.mode, entry.day)
        item["gsi1sk"] = f"{entry.ticket:010d}#{entry.id}"
    due = entry.next_due()
    if due is not None:
        item["gsi2pk"] = due_partition(_shard(entry.id))
        item["gsi2sk"] = f"{sortable(due)}#{entry.id}"
    return item


def waiting_guard_item(entry: WaitlistEntry) -> Item:
    key = waiting_guard_key(entry)
    return {"pk": key.pk, "sk": key.sk, "id": entry.id}


# --- encoding ------------------------------------------------------------------------


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _encode_slot(slot: Slot | None) -> dict[str, Any] | None:
    if slot is None:
        return None
    return {"start": _t(slot.start), "end": _t(slot.end), "units": [_t(u) for u in slot.units]}


def _decode_slot(raw: dict[str, Any] | None) -> Slot | None:
    if raw is None:
        return None
    return Slot(
        datetime.fromisoformat(raw["start"]),
        datetime.fromisoformat(raw["end"]),
        tuple(datetime.fromisoformat(u) for u in raw["units"]),
    )


def _encode_booking(b: Booking) -> dict[str, Any]:
    return {
        "code": b.code,
        "token_hash": b.token_hash,
        "branch": b.branch,
        "service": b.service,
        "mode": b.mode.value,
        "slot": _encode_slot(Slot(b.start, b.end, b.units)),
        "citizen": vars(b.citizen),
        "language": b.language,
        "created_at": _t(b.created_at),
        "status": b.status.value,
        "accommodations": sorted(a.value for a in b.accommodations),
        "channel": b.channel.value,
        "booked_by": b.booked_by,
        "join_url": b.join_url,
        "reminder_due": _t(b.reminder_due),
        "checked_in_at": _t(b.checked_in_at),
        "sequence": b.sequence,
        "history": [
            {"at": _t(e.at), "actor": e.actor, "action": e.action, "note": e.note}
            for e in b.history
        ],
    }


def booking_from_item(item: Item) -> Booking:
    doc = json.loads(item["doc"])
    slot = _decode_slot(doc["slot"])
    assert slot is not None
    return Booking(
        code=doc["code"],
        token_hash=doc["token_hash"],
        branch=doc["branch"],
        service=doc["service"],
        mode=Mode(doc["mode"]),
        start=slot.start,
        end=slot.end,
        units=slot.units,
        citizen=BookingCitizen(**doc["citizen"]),
        language=doc["language"],
        created_at=datetime.fromisoformat(doc["created_at"]),
        status=Status(doc["status"]),
        accommodations=frozenset(Accommodation(a) for a in doc["accommodations"]),
        channel=Channel(doc["channel"]),
        booked_by=doc["booked_by"],
        join_url=doc["join_url"],
        reminder_due=_dt(doc["reminder_due"]),
        checked_in_at=_dt(doc["checked_in_at"]),
        sequence=doc["sequence"],
        history=[
            BookingEvent(datetime.fromisoformat(e["at"]), e["actor"], e["action"], e["note"])
            for e in doc["history"]
        ],
        version=int(item["version"]),
    )


def _encode_entry(e: WaitlistEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "token_hash": e.token_hash,
        "branch": e.branch,
        "service": e.service,
        "mode": e.mode.value,
        "day": e.day.isoformat(),
        "citizen": vars(e.citizen),
        "language": e.language,
        "joined_at": _t(e.joined_at),
        "ticket": e.ticket,
        "status": e.status.value,
        "offer": _encode_slot(e.offer),
        "offer_expires_at": _t(e.offer_expires_at),
        "booking_code": e.booking_code,
    }


def entry_from_item(item: Item) -> WaitlistEntry:
    doc = json.loads(item["doc"])
    return WaitlistEntry(
        id=doc["id"],
        token_hash=doc["token_hash"],
        branch=doc["branch"],
        service=doc["service"],
        mode=Mode(doc["mode"]),
        day=date.fromisoformat(doc["day"]),
        citizen=BookingCitizen(**doc["citizen"]),
        language=doc["language"],
        joined_at=datetime.fromisoformat(doc["joined_at"]),
        ticket=doc["ticket"],
        status=WaitStatus(doc["status"]),
        offer=_decode_slot(doc["offer"]),
        offer_expires_at=_dt(doc["offer_expires_at"]),
        booking_code=doc["booking_code"],
        version=int(item["version"]),
    )

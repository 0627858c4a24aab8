"""Bookings in the table. Every bound is a condition the store checks in one transaction:
a slot's ``booked < capacity``, one active booking per citizen (AMKA) and service, no
booking while a no-show block lasts, and the booking's version on every change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from chalicelib.domain.bookings import Booking, BookingPolicy, Mode
from chalicelib.domain.citizen_view import identifiers_of
from chalicelib.domain.errors import (
    AlreadyBooked,
    BookingBlocked,
    NotFound,
    SettingsChanged,
    SlotFull,
    TooManyAppointments,
    VersionConflict,
)
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord
from chalicelib.ports.bookings import Places, SlotUnit

from .booking_conditions import ContactCap, free_places, not_blocked, take_places
from .booking_items import (
    active_item,
    block_item,
    booking_from_item,
    booking_item,
    booking_link_items,
    no_show_item,
    no_show_key,
)
from .booking_keys import (
    DUE_SHARDS,
    active_key,
    block_key,
    booking_key,
    branch_day_partition,
    due_partition,
    no_show_partition,
    settings_key,
    slot_key,
    slot_partition,
)
from .case_items import sortable
from .cases import idempotency_item
from .table import (
    Absent,
    Check,
    Condition,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    Item,
    Key,
    KeyRange,
    Operation,
    Put,
    Table,
    TransactionPlan,
    Update,
)
from .unit_of_work import carried


def stored(table: Table, key: Key, what: str) -> Item:
    """The item under ``key``, or NotFound(``what``)."""
    item = table.get(key)
    if item is None:
        raise NotFound(what)
    return item


class TableBookingRepository:
    def __init__(self, table: Table, policy: BookingPolicy, contacts: ContactCap) -> None:
        self._table = table
        self._policy = policy
        self.contacts = contacts

    # --- reads -------------------------------------------------------------------------

    def get(self, code: str) -> Booking:
        return booking_from_item(stored(self._table, booking_key(code), "booking"))

    def booked(
        self, branch: str, service: str, mode: Mode, first: datetime, last: datetime
    ) -> dict[datetime, int]:
        """Counters of the slots that have bookings between two unit starts: one Query."""
        items = self._table.query(
            slot_partition(branch, service, mode),
            KeyRange(low=sortable(first), high=sortable(last)),
        )
        return {_instant(i["sk"]): int(i.get("booked") or 0) for i in items}

    def booked_units(self, units: list[SlotUnit]) -> dict[SlotUnit, int]:
        items = self._table.get_many([slot_key(*unit) for unit in units])
        return {u: int(i.get("booked") or 0) if i else 0 for u, i in zip(units, items, strict=True)}

    def day(self, branch: str, day: date) -> list[Booking]:
        items = self._table.query(branch_day_partition(branch, day), index="gsi1")
        return [booking_from_item(i) for i in items]

    def active_code(self, amka: str, service: str) -> str | None:
        item = self._table.get(active_key(amka, service))
        return item["code"] if item else None

    def blocked_until(self, amka: str, service: str) -> datetime | None:
        item = self._table.get(block_key(amka, service))
        return datetime.fromisoformat(item["until_at"]) if item else None

    def no_shows_since(self, amka: str, service: str, since: datetime) -> list[datetime]:
        items = self._table.query(
            no_show_partition(amka, service), KeyRange(low=f"AT#{sortable(since)}", high="AT#~")
        )
        return [datetime.fromisoformat(i["at"]) for i in items]

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        """The keys (``BOOKING#..``, ``WAIT#..``) of items whose next timer has passed."""
        keys = []
        for shard in range(DUE_SHARDS):
            items = self._table.query(
                due_partition(shard),
                KeyRange(high=sortable(now) + "\uffff"),
                index="gsi2",
                limit=limit,
            )
            keys.extend(i["pk"] for i in items)
        return keys

    # --- writes ------------------------------------------------------------------------

    def add(
        self, booking: Booking, places: Places, idempotency: IdempotencyRecord | None = None
    ) -> None:
        """Takes the place: all of the checks and writes in one transaction."""
        now = booking.created_at
        booking.version = 1
        plan = TransactionPlan()
        if idempotency is not None:
            plan.add("idempotency", Put(idempotency_item(idempotency, now), Absent()))
        if places.settings_version is not None:
            plan.add("settings", _settings_unchanged(booking.branch, places.settings_version))
        plan.add("blocked", not_blocked(booking.citizen.amka, booking.service, now))
        plan.add("active", Put(active_item(booking), Absent()))
        plan.add("contacts", *self.contacts.hold(booking))
        plan.add("full", *self._take(booking, booking.units, places.capacity))
        plan.add("booking", Put(self.item_of(booking), Absent()))
        plan.add("link", *self._links(booking, now))
        plan.add("effects", *carried())  # its timers and message, in the same transaction
        failed = plan.run(self._table)
        if failed is not None:
            booking.version = 0
            self._refuse(failed, booking)

    def cancel(self, booking: Booking) -> None:
        """Stores a cancelled booking, frees its place and the citizen's one booking."""
        self._change(
            booking,
            *self._ended(booking),
            *self._free(booking, booking.units),
        )

    def move(self, booking: Booking, left: Sequence[datetime], places: Places) -> None:
        """One atomic move: the old place is freed only if the new one is taken (and only if
        the branch's settings are still those it was judged on)."""
        gained = [u for u in booking.units if u not in left]
        freed = [u for u in left if u not in booking.units]
        expected = booking.version
        booking.version = expected + 1
        plan = TransactionPlan()
        plan.add("version", Put(self.item_of(booking), Equals("version", expected)))
        if places.settings_version is not None:
            plan.add("settings", _settings_unchanged(booking.branch, places.settings_version))
        plan.add("full", *self._take(booking, gained, places.capacity))
        plan.add("free", *self._free(booking, freed))
        plan.add("effects", *carried())  # its new timers and the citizen's notice
        failed = plan.run(self._table)
        if failed is not None:
            booking.version = expected
            self._refuse(failed, booking)

    def save(self, booking: Booking) -> None:
        """A change that moves no counter (a reminder sent, served)."""
        self._change(booking)

    def release(self, booking: Booking) -> None:
        """Checked in: the citizen's one active booking for the service is used up."""
        self._change(booking, *self._ended(booking))

    def record_no_show(
        self, booking: Booking, at: datetime, blocked_until: datetime | None = None
    ) -> None:
        """The no-show, the block it brings (if any) and the citizen's notice: one transaction."""
        block = [blocked_until] if blocked_until is not None else []
        amka, service = booking.citizen.amka, booking.service
        self._change(
            booking,
            *self._ended(booking),
            Put(no_show_item(booking, at)),
            *(Put(block_item(amka, service, until, booking.code)) for until in block),
        )

    def undo_no_show(self, booking: Booking) -> None:
        self._change(booking, Delete(no_show_key(booking, booking.start)))

    def block(self, amka: str, service: str, until: datetime, caused_by: str | None = None) -> None:
        self._table.write(Put(block_item(amka, service, until, caused_by)))

    def lift_block_caused_by(self, booking: Booking) -> bool:
        # False when there is no block, or another no-show set it.
        key = block_key(booking.citizen.amka, booking.service)
        return self._delete(key, Equals("caused_by", booking.code))

    def unblock(self, amka: str, service: str) -> bool:
        """Removes a no-show block; False if there was none."""
        return self._delete(block_key(amka, service), Exists())

    # --- internals ---------------------------------------------------------------------

    def item_of(self, booking: Booking) -> Item:
        return booking_item(booking, booking.next_due(self._policy))

    def _ended(self, booking: Booking) -> list[Operation]:
        """The booking is no longer active: its citizen's guard goes, its contacts count one
        fewer (the guard's condition makes it happen once)."""
        guard = Delete(
            active_key(booking.citizen.amka, booking.service), Equals("code", booking.code)
        )
        return [guard, *self.contacts.free(booking)]

    def _take(self, booking: Booking, units: Sequence[datetime], capacity: int) -> list[Update]:
        return take_places(booking.branch, booking.service, booking.mode, units, capacity)

    def _free(self, booking: Booking, units: Sequence[datetime]) -> list[Update]:
        return free_places(booking.branch, booking.service, booking.mode, units)

    def _links(self, booking: Booking, now: datetime) -> list[Put]:
        identifiers = identifiers_of(booking.citizen)
        return [Put(link) for link in booking_link_items(booking, identifiers, now)]

    def _delete(self, key: Key, condition: Condition) -> bool:
        try:
            self._table.write(Delete(key, condition))
        except ConditionFailed:
            return False
        return True

    def _change(self, booking: Booking, *ops: Operation) -> None:
        expected = booking.version
        booking.version = expected + 1
        try:
            put = Put(self.item_of(booking), Equals("version", expected))
            self._table.transact([put, *ops, *carried()])  # with its timers and message
        except ConditionFailed:
            booking.version = expected
            raise VersionConflict("booking", code=booking.code) from None

    def _refuse(self, failed: str, booking: Booking) -> None:
        match failed:
            case "idempotency":
                raise AlreadyRecorded(booking.code)
            case "blocked":
                until = self.blocked_until(booking.citizen.amka, booking.service)
                raise BookingBlocked(until or booking.created_at)
            case "active":
                raise AlreadyBooked("booking", service=booking.service)
            case "contacts":
                raise TooManyAppointments("booking")
            case "full":
                raise SlotFull("booking", start=booking.start)
            case "settings":
                raise SettingsChanged("booking", branch=booking.branch)
        raise VersionConflict("booking", code=booking.code)


def _settings_unchanged(branch: str, version: int) -> Check:
    return Check(settings_key(branch), Absent() if version == 0 else Equals("version", version))


def _instant(sk: str) -> datetime:
    return datetime.strptime(sk, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)

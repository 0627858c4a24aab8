"""Waitlist entries in the table. A held offer is a place counted in its slot's counter,
so nobody else can take it while the citizen at the head of the line decides."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.bookings import Booking, Mode
from chalicelib.domain.catalogue import BranchSettings
from chalicelib.domain.citizen_view import identifiers_of
from chalicelib.domain.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingBlocked,
    SlotFull,
    TooManyAppointments,
    VersionConflict,
)
from chalicelib.domain.waitlist import WaitlistEntry

from .booking_items import (
    active_item,
    booking_link_items,
    entry_from_item,
    entry_item,
    settings_from_item,
    waiting_guard_item,
)
from .booking_keys import (
    active_key,
    entry_key,
    settings_key,
    waiting_guard_key,
    waitlist_partition,
)
from .bookings import TableBookingRepository, free_places, not_blocked, stored, take_places
from .table import Absent, Check, Delete, Equals, Key, Operation, Put, Table, TransactionPlan
from .unit_of_work import carried


class TableWaitlist:
    def __init__(self, table: Table, bookings: TableBookingRepository) -> None:
        self._table = table
        self._bookings = bookings

    def get(self, entry_id: str) -> WaitlistEntry:
        return entry_from_item(stored(self._table, entry_key(entry_id), "waitlist"))

    def waiting(
        self, branch: str, service: str, mode: Mode, day: date, limit: int = 10
    ) -> list[WaitlistEntry]:
        """The first in line, oldest first."""
        items = self._table.query(
            waitlist_partition(branch, service, mode, day), index="gsi1", limit=limit
        )
        return [entry_from_item(i) for i in items]

    def lines(self, branch: str, services: list[str]) -> set[tuple[str, Mode, date]]:
        """The (service, mode, day) lines of the branch where someone waits: one query."""
        items = self._table.query(f"WAITING#{branch}", index="gsi4")
        found = set()
        for item in items:
            service, mode, day = str(item["gsi4sk"]).split("#")[:3]
            if service in services:
                found.add((service, Mode(mode), date.fromisoformat(day)))
        return found

    def line(
        self, branch: str, service: str, mode: Mode, day: date
    ) -> tuple[tuple[BranchSettings, int] | None, int]:
        settings, counter = self._table.get_many(
            [settings_key(branch), _ticket_key(branch, service, mode, day)]
        )
        stored = settings_from_item(settings) if settings is not None else None
        return stored, int(counter["value"]) if counter is not None else 0

    def join(self, entry: WaitlistEntry, last_ticket: int) -> None:
        entry.version = 1
        plan = TransactionPlan()
        # The ticket is taken in the same transaction: a concurrent join that took it first
        # makes this one read the line again (VersionConflict).
        ticket = _ticket_key(entry.branch, entry.service, entry.mode, entry.day)
        taken = Equals("value", last_ticket) if last_ticket else Absent()
        plan.add("ticket", Put({"pk": ticket.pk, "sk": ticket.sk, "value": entry.ticket}, taken))
        # A citizen with an appointment for the service already has no place in line.
        plan.add("booked", Check(active_key(entry.citizen.amka, entry.service), Absent()))
        plan.add("waiting", Put(waiting_guard_item(entry), Absent()))
        plan.add("entry", Put(entry_item(entry), Absent()))
        plan.add("effects", *carried())  # the citizen's message
        failed = plan.run(self._table)
        if failed is not None:
            entry.version = 0
            if failed == "ticket":
                raise VersionConflict("waitlist")
            raise AlreadyBooked("waitlist") if failed == "booked" else AlreadyWaiting("waitlist")

    def hold(self, entry: WaitlistEntry, capacity: int) -> None:
        """Stores an offer and counts its place in the slot, or SlotFull if it went meanwhile."""
        assert entry.offer is not None
        plan = TransactionPlan()
        plan.add("version", self._versioned(entry))
        units = entry.offer.units
        plan.add("full", *take_places(entry.branch, entry.service, entry.mode, units, capacity))
        plan.add("effects", *carried())  # the offer's expiry timer and the citizen's message
        self._run(plan, entry)

    def release(self, entry: WaitlistEntry, held: bool) -> None:
        """The entry leaves the line; a place it held goes back to its slot."""
        plan = TransactionPlan()
        plan.add("version", self._versioned(entry))
        plan.add("guard", Delete(waiting_guard_key(entry)))
        if held and entry.offer is not None:
            units = entry.offer.units
            plan.add("free", *free_places(entry.branch, entry.service, entry.mode, units))
        plan.add("effects", *carried())  # the freed place's offer, when it held one
        self._run(plan, entry)

    def accept(self, entry: WaitlistEntry, booking: Booking, now: datetime) -> None:
        """The held place becomes a booking: its counter is already taken."""
        booking.version = 1
        plan = TransactionPlan()
        plan.add("version", self._versioned(entry))
        plan.add("blocked", not_blocked(booking.citizen.amka, booking.service, now))
        plan.add("active", Put(active_item(booking), Absent()))
        plan.add("contacts", *self._bookings.contacts.hold(booking))
        plan.add("booking", Put(self._bookings.item_of(booking), Absent()))
        plan.add("guard", Delete(waiting_guard_key(entry)))
        links = booking_link_items(booking, identifiers_of(booking.citizen), now)
        plan.add("link", *(Put(link) for link in links))
        plan.add("effects", *carried())  # the booking's timers, message and KPI counts
        try:
            self._run(plan, entry)
        except (AlreadyBooked, BookingBlocked, TooManyAppointments):
            booking.version = 0
            raise

    def _versioned(self, entry: WaitlistEntry) -> Operation:
        expected = entry.version
        entry.version = expected + 1
        return Put(entry_item(entry), Equals("version", expected))

    def _run(self, plan: TransactionPlan, entry: WaitlistEntry) -> None:
        plan.add("effects", *carried())  # an offer's timer and text, a booking's timers and text
        failed = plan.run(self._table)
        if failed is None:
            return
        entry.version -= 1
        match failed:
            case "full":
                raise SlotFull("waitlist")
            case "active":
                raise AlreadyBooked("waitlist")
            case "contacts":
                raise TooManyAppointments("waitlist")
            case "blocked":
                until = self._bookings.blocked_until(entry.citizen.amka, entry.service)
                raise BookingBlocked(until or entry.joined_at)
        raise VersionConflict("waitlist", id=entry.id)


def _ticket_key(branch: str, service: str, mode: Mode, day: date) -> Key:
    # The counter item the line's tickets always used (adapters/counters.py's layout).
    return Key(f"COUNTER#waitlist#{branch}#{service}#{mode.value}#{day.isoformat()}", "COUNTER")

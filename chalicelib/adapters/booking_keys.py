"""The keys bookings, slot counters, branch settings and waitlists are stored under.

See docs/dynamodb.md ("Bookings") for the access patterns these keys serve.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from chalicelib.domain.catalogue import Mode
from chalicelib.domain.waitlist import WaitlistEntry

from .case_items import sortable
from .pseudonyms import pseudonym
from .table import Key

# Overdue bookings are indexed under a few partitions, so that a rush of bookings
# does not pile every write of the index onto one partition key; the sweeper reads all.
DUE_SHARDS = 4


def due_partition(shard: int) -> str:
    return f"BOOKINGDUE#{shard}"


def due_shard(ref: str) -> int:
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
    return Key(f"ACTIVE#{pseudonym('amka', amka)}#{service}", "ACTIVE")


def no_show_partition(amka: str, service: str) -> str:
    return f"NOSHOW#{pseudonym('amka', amka)}#{service}"


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
        f"WAITING#{pseudonym('amka', entry.citizen.amka)}#{entry.branch}#{entry.service}"
        f"#{entry.mode.value}#{entry.day.isoformat()}",
        "WAITING",
    )

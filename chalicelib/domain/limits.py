"""Abuse limits on public writes: how many a client address and a citizen identifier may make
in a window, and how many appointments one phone or e-mail may hold at once.

Counted in fixed windows (a minute for an address, an hour for an identifier): each window is
one counter in the store, raised by one conditional write, so the limit holds across every
Lambda instance and the answer to "when may I try again" is the window's end, known without a
read. A window lets at most twice its limit through around its boundary; that is the price of
a single write, and the edge's throttling (API Gateway, WAF) bounds raw bursts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chalicelib.domain.citizen_view import subject_hash
from chalicelib.domain.errors import RateLimited


@dataclass(frozen=True)
class Limits:
    writes_per_address: int = 60
    address_window: timedelta = timedelta(minutes=1)
    writes_per_identifier: int = 20
    identifier_window: timedelta = timedelta(hours=1)
    # Appointments a phone number or an e-mail may hold at once, across every service.
    active_appointments: int = 4


@dataclass(frozen=True)
class Quota:
    """One counter of one window: ``name`` is a keyed hash, never the address or identifier."""

    name: str
    limit: int
    window_start: datetime
    window_end: datetime

    def refusal(self, now: datetime) -> RateLimited:
        return RateLimited(retry_in=self.window_end - now)


def window(now: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """The fixed window holding ``now``: windows start at whole multiples of their length."""
    seconds = int(length.total_seconds())
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % seconds, UTC)
    return start, start + length


def quotas(
    limits: Limits,
    now: datetime,
    key: bytes,
    address: str | None,
    identifiers: list[tuple[str, str]],
) -> list[Quota]:
    """The counters one public write raises: its client address and each identifier it names."""
    found: list[Quota] = []
    if address:
        start, end = window(now, limits.address_window)
        name = "addr#" + subject_hash("address", address, key)
        found.append(Quota(name, limits.writes_per_address, start, end))
    start, end = window(now, limits.identifier_window)
    for kind, value in dict.fromkeys(identifiers):
        name = "id#" + subject_hash(kind, value, key)
        found.append(Quota(name, limits.writes_per_identifier, start, end))
    return found


def counting_email(email: str) -> str:
    """The mailbox an address reaches, for counting: case and a ``+tag`` do not make another
    one (``Anna+1@Example.gr`` counts as ``anna@example.gr``)."""
    local, _, domain = email.lower().partition("@")
    return f"{local.split('+')[0]}@{domain}"


def contact_pseudonyms(key: bytes, phone: str | None, email: str | None) -> list[str]:
    """The keyed hashes under which a booking's contacts count their active appointments."""
    pairs = [("phone", phone), ("email", counting_email(email) if email else None)]
    return [subject_hash(kind, value, key) for kind, value in pairs if value]

"""What erasure needs of the store: its orders, and the single view's links of a citizen."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.citizen_view import Link
from chalicelib.domain.erasure import ErasureOrder


class Erasures(Protocol):
    def order(self, order: ErasureOrder) -> None:
        """Keeps a new order (with the open unit of work's timer, in one transaction)."""

    def get(self, order_id: str) -> ErasureOrder | None: ...

    def finish(self, order: ErasureOrder) -> None: ...

    def links(self, kind: str, subject: str, limit: int = 100) -> list[Link]:
        """The single view's links under an identifier's keyed hash."""

    def retained(self, before: datetime, limit: int = 100) -> list[tuple[str, str]]:
        """Finished dealings, ``(kind, ref)``, whose retention began before ``before``."""

    def forget(self, identifiers: list[tuple[str, str]], refs: set[str]) -> None:
        """Deletes the links of these entities under each of these identifiers."""

"""What the single view needs from a store: the citizen's links and the access record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from chalicelib.domain.citizen_view import AccessRecord, Link


@dataclass(frozen=True)
class AccessLog:
    """Which part of the access record to read: by an agent, of a citizen (the keyed hash of
    an identifier), or of a month (YYYY-MM)."""

    by: Literal["agent", "subject", "month"]
    value: str


class CitizenViewIndex(Protocol):
    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The citizen's dealings under one identifier, newest first."""
        ...

    def entities(self, links: list[Link]) -> dict[tuple[str, str], Any]:
        """The case, callback or booking each link names, by (kind, ref), read together; links
        of other kinds, or whose entity is gone, are left out."""
        ...

    def record(self, access: AccessRecord) -> None: ...

    def access_log(self, of: AccessLog, limit: int = 100) -> list[AccessRecord]:
        """Newest first: one agent's look-ups, one citizen's, or a month's (Athens time)."""
        ...

"""What the single view needs from a store: the citizen's links and the access record."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.citizen_view import AccessRecord, Link


class CitizenViewIndex(Protocol):
    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The citizen's dealings under one identifier, newest first."""
        ...

    def entities(self, links: list[Link]) -> dict[tuple[str, str], Any]:
        """The case, callback or booking each link names, by (kind, ref), read together; links
        of other kinds, or whose entity is gone, are left out."""
        ...

    def record(self, access: AccessRecord) -> None: ...

    def access_log(
        self,
        *,
        month: str | None = None,
        agent: str | None = None,
        subject_hash: str | None = None,
        limit: int = 100,
    ) -> list[AccessRecord]: ...

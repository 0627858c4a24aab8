"""What Open311 needs from a store: the client applications' keys."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.open311 import ApiKey


class ApiKeys(Protocol):
    def add(self, key: ApiKey) -> None:
        """Stores a new key; a key with the same hash already stored is left as it is."""
        ...

    def by_hash(self, key_hash: str) -> ApiKey | None:
        """The live key with this hash, or None (unknown or revoked)."""
        ...

    def all(self) -> list[ApiKey]:
        """Every live key, oldest first."""
        ...

    def revoke(self, key_id: str) -> None:
        """Removes the key; NotFound if there is no such live key."""
        ...

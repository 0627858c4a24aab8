"""Branch staff's edits of hours, closures and capacity: one versioned item per branch.

A branch nobody has edited has no item and runs on its defaults from data/branches.json.
"""

from __future__ import annotations

from chalicelib.domain.catalogue import BranchSettings
from chalicelib.domain.errors import VersionConflict

from .booking_items import settings_from_item, settings_item
from .booking_keys import settings_key
from .table import Absent, ConditionFailed, Equals, Put, Table


class TableBranchSettings:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, branch: str) -> tuple[BranchSettings, int] | None:
        item = self._table.get(settings_key(branch))
        if item is None:
            return None
        return settings_from_item(item)

    def get_many(self, branches: list[str]) -> dict[str, tuple[BranchSettings, int]]:
        """The stored edits of these branches (those never edited are absent): one batch read."""
        items = self._table.get_many([settings_key(b) for b in branches])
        return {b: settings_from_item(i) for b, i in zip(branches, items, strict=True) if i}

    def save(self, branch: str, settings: BranchSettings, expected_version: int) -> int:
        """Stores the edit if nobody else edited since ``expected_version`` (0: never edited)."""
        condition = Absent() if expected_version == 0 else Equals("version", expected_version)
        item = settings_item(branch, settings, expected_version + 1)
        try:
            self._table.write(Put(item, condition))
        except ConditionFailed:
            raise VersionConflict("branch-settings", branch=branch) from None
        return expected_version + 1

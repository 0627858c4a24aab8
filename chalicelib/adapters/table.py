"""The one storage primitive both stores implement: a single keyed table.

The repositories are written once over this interface; SQLite and DynamoDB each
implement it, so a rule such as "booked < capacity" or "version must match" is a
condition that the store itself checks atomically, never a read followed by a
write in Python.

Items are flat dicts. ``pk`` and ``sk`` form the key; ``gsi1pk``/``gsi1sk`` ..
``gsi3pk``/``gsi3sk`` are overloaded index keys (absent means "not in the
index"); any other attribute is a string, an int or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.errors import DomainError

Item = dict[str, Any]

INDEXES = ("gsi1", "gsi2", "gsi3")


@dataclass(frozen=True)
class Key:
    pk: str
    sk: str


# --- conditions ---------------------------------------------------------------


@dataclass(frozen=True)
class Absent:
    """The item must not exist yet."""


@dataclass(frozen=True)
class Exists:
    """The item must exist."""


@dataclass(frozen=True)
class Equals:
    """The item exists and ``attr == value``."""

    attr: str
    value: Any


@dataclass(frozen=True)
class Below:
    """``attr`` is missing (the item may not exist) or ``attr < limit``."""

    attr: str
    limit: int


@dataclass(frozen=True)
class AtLeast:
    """The item exists and ``attr >= value`` (e.g. a counter that may be decremented)."""

    attr: str
    value: int


Condition = Absent | Exists | Equals | Below | AtLeast


# --- operations ----------------------------------------------------------------


@dataclass(frozen=True)
class Put:
    item: Item
    condition: Condition | None = None

    @property
    def key(self) -> Key:
        return Key(self.item["pk"], self.item["sk"])


@dataclass(frozen=True)
class Update:
    """Adds to integer attributes and sets others; creates the item if missing."""

    key: Key
    add: dict[str, int] = field(default_factory=dict)
    set: dict[str, Any] = field(default_factory=dict)
    condition: Condition | None = None


@dataclass(frozen=True)
class Delete:
    key: Key
    condition: Condition | None = None


@dataclass(frozen=True)
class Check:
    key: Key
    condition: Condition


Operation = Put | Update | Delete | Check


class ConditionFailed(Exception):
    """A write's condition did not hold; ``index`` is the failing operation's position."""

    def __init__(self, index: int = 0) -> None:
        super().__init__(f"condition failed for operation {index}")
        self.index = index


class StoreBusy(DomainError):
    """The store could not settle a write against concurrent ones; the caller may retry."""

    code = "store-busy"


@dataclass(frozen=True)
class KeyRange:
    """A sort-key condition for a query: ``begins_with`` or a closed range."""

    begins_with: str | None = None
    low: str | None = None
    high: str | None = None


class Table(Protocol):
    kind: str

    def get(self, key: Key) -> Item | None: ...

    def write(self, op: Operation) -> Item | None:
        """One conditional write; returns the item after an Update."""
        ...

    def transact(self, ops: Sequence[Operation]) -> None:
        """All or nothing; raises ConditionFailed naming the first failing op."""
        ...

    def query(
        self,
        pk: str,
        sk: KeyRange | None = None,
        *,
        index: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Item]: ...


def holds(condition: Condition | None, current: Item | None) -> bool:
    """Evaluates a condition against the current item (used by stores without native conditions)."""
    match condition:
        case None:
            return True
        case Absent():
            return current is None
        case Exists():
            return current is not None
        case Equals(attr, value):
            return current is not None and current.get(attr) == value
        case Below(attr, limit):
            return current is None or current.get(attr) is None or current[attr] < limit
        case AtLeast(attr, value):
            return current is not None and current.get(attr) is not None and current[attr] >= value
    raise TypeError(f"unknown condition {condition!r}")


class TransactionPlan:
    """A transaction under construction that remembers what each operation stands for, so a
    failed condition maps to one domain meaning (the one way adapters name a lost race)."""

    def __init__(self) -> None:
        self.ops: list[Operation] = []
        self.meaning: list[str] = []

    def add(self, meaning: str, *ops: Operation) -> None:
        self.ops.extend(ops)
        self.meaning.extend(meaning for _ in ops)

    def run(self, table: Table) -> str | None:
        """Runs the transaction; returns the meaning of the failed condition, if any."""
        try:
            table.transact(self.ops)
        except ConditionFailed as failure:
            return self.meaning[failure.index]
        return None

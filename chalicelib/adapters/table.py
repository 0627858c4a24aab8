"""The one storage primitive both stores implement: a single keyed table.

The repositories are written once over this interface; SQLite and DynamoDB each
implement it, so a rule such as "booked < capacity" or "version must match" is a
condition that the store itself checks atomically, never a read followed by a
write in Python.

Items are flat dicts. ``pk`` and ``sk`` form the key; ``gsi1pk``/``gsi1sk`` ..
``gsi4pk``/``gsi4sk`` are overloaded index keys (absent means "not in the
index"); any other attribute is a string, an int or None.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import DomainError

from .item_sizes import item_size, json_size_bound  # noqa: F401  (part of this interface)

Item = dict[str, Any]

INDEXES = ("gsi1", "gsi2", "gsi3", "gsi4")


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


# --- what DynamoDB refuses, both stores refuse ------------------------------------------

# DynamoDB's documented limits. 400 KB is taken as 400,000 bytes (the real ceiling is a little
# higher), so an estimate of the size a few bytes off still refuses before DynamoDB would.
MAX_ITEM_BYTES = 400_000
MAX_TRANSACTION_ITEMS = 100
MAX_TRANSACTION_BYTES = 4_000_000


class StoreRefused(DomainError):
    """The store refuses the write as it stands (too large, or a malformed transaction);
    trying again unchanged cannot succeed. Nothing was written."""

    code = "store-refused"


class ItemTooLarge(StoreRefused):
    code = "item-too-large"


class InvalidTransaction(StoreRefused):
    """More than 100 operations, two on one key, or more than 4 MB in all."""

    code = "invalid-transaction"


def written_size(op: Operation) -> int:
    """What an operation writes, as far as it can be known before reading the stored item."""
    match op:
        case Put(item=item):
            return item_size(item)
        case Update(key=key, add=add, set=set_):
            return item_size({"pk": key.pk, "sk": key.sk, **add, **set_})
    return item_size({"pk": op.key.pk, "sk": op.key.sk})


def refuse_too_large(size: int) -> None:
    if size > MAX_ITEM_BYTES:
        raise ItemTooLarge("item-too-large", size=size)


def refuse_unstorable(
    ops: Sequence[Operation], bound: Callable[[Operation], int] = written_size
) -> None:
    """Raises what DynamoDB refuses before it judges any condition; both stores call it first.
    ``bound``: an upper bound of each size; exact sizes are counted only when one is over."""
    if len(ops) > MAX_TRANSACTION_ITEMS:
        raise InvalidTransaction("too-many-operations", count=len(ops))
    keys = {op.key for op in ops}
    if len(keys) < len(ops):
        raise InvalidTransaction("one-key-twice")
    sizes = [bound(op) for op in ops]
    over = max(sizes, default=0) > MAX_ITEM_BYTES or sum(sizes) > MAX_TRANSACTION_BYTES
    if over and bound is not written_size:
        sizes = [written_size(op) for op in ops]
    refuse_too_large(max(sizes, default=0))
    if sum(sizes) > MAX_TRANSACTION_BYTES:
        raise InvalidTransaction("too-large", size=sum(sizes))


@dataclass(frozen=True)
class KeyRange:
    """A sort-key condition for a query: ``begins_with`` or a closed range."""

    begins_with: str | None = None
    low: str | None = None
    high: str | None = None


@dataclass(frozen=True)
class Query:
    """One query: a partition of the table or of an index, in sort-key order."""

    pk: str
    sk: KeyRange | None = None
    index: str | None = None
    limit: int | None = None
    newest_first: bool = False
    # Reads every write made before it (the table only; an index is always eventually consistent).
    consistent: bool = False

    @property
    def key_attrs(self) -> tuple[str, str]:
        return (f"{self.index}pk", f"{self.index}sk") if self.index else ("pk", "sk")


class Table(ABC):
    """What both stores offer. The refusals are judged here, once, before a store sees a write,
    so SQLite refuses exactly what DynamoDB refuses."""

    kind: str

    @abstractmethod
    def get(self, key: Key) -> Item | None: ...

    def get_many(self, keys: Sequence[Key]) -> list[Item | None]:
        """The items of these keys, in their order (None where absent), read consistently: one
        ``BatchGetItem`` in DynamoDB for up to 100 distinct keys."""
        distinct = list(dict.fromkeys(keys))
        found = {Key(i["pk"], i["sk"]): i for i in self._get_many(distinct) if i is not None}
        return [found.get(key) for key in keys]

    def write(self, op: Operation) -> Item | None:
        """One conditional write; returns the item after an Update."""
        from .metering import take_waiting  # (it builds on this module)

        refuse_unstorable([op], self._size_bound)
        if (metered := take_waiting([op])) is not None:
            metered.run(self, [op])  # the request's rate-limit counters ride along
            return None
        return self._write(op)

    def transact(self, ops: Sequence[Operation]) -> None:
        """All or nothing; raises ConditionFailed naming the first failing op."""
        from .metering import take_waiting

        if (metered := take_waiting(ops)) is not None:
            metered.run(self, ops)  # the request's rate-limit counters ride along
            return
        refuse_unstorable(ops, self._size_bound)
        self._transact(ops)

    def query(
        self,
        pk: str,
        sk: KeyRange | None = None,
        *,
        index: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
        consistent: bool = False,
    ) -> list[Item]:
        return self._query(Query(pk, sk, index, limit, newest_first, consistent))

    def _size_bound(self, op: Operation) -> int:
        """An upper bound of what ``op`` writes (see ``refuse_unstorable``)."""
        return written_size(op)

    @abstractmethod
    def _get_many(self, keys: Sequence[Key]) -> list[Item]: ...

    @abstractmethod
    def _write(self, op: Operation) -> Item | None: ...

    @abstractmethod
    def _transact(self, ops: Sequence[Operation]) -> None: ...

    @abstractmethod
    def _query(self, query: Query) -> list[Item]: ...


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

"""The table over an embedded SQLite file: the store of the local run and of most tests.

Every write runs inside ``BEGIN IMMEDIATE``, which takes the database's write
lock before the conditions are read, so a condition and its write are one atomic
step even with many threads or processes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from chalicelib.adapters import table

_KEY_COLUMNS = ("pk", "sk", *tuple(f"{i}{p}" for i in table.INDEXES for p in ("pk", "sk")))

_KEYS = frozenset(_KEY_COLUMNS)
_KEY_NAMES_BYTES = sum(len(col) for col in _KEY_COLUMNS)
_SELECT = f"SELECT {', '.join(_KEY_COLUMNS)}, attrs FROM items"
_READ = f"{_SELECT} WHERE pk = ? AND sk = ?"
_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps, without a new encoder each call
_INSERT = (
    f"INSERT OR REPLACE INTO items ({', '.join(_KEY_COLUMNS)}, attrs) "
    f"VALUES ({', '.join('?' * len(_KEY_COLUMNS))}, ?)"
)

WAL_CHECKPOINT_PAGES = 10_000
SYNCHRONOUS = "FULL"  # see _connection

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL, sk TEXT NOT NULL,
    gsi1pk TEXT, gsi1sk TEXT, gsi2pk TEXT, gsi2sk TEXT, gsi3pk TEXT, gsi3sk TEXT,
    gsi4pk TEXT, gsi4sk TEXT,
    attrs TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk) WHERE gsi2pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi3 ON items (gsi3pk, gsi3sk) WHERE gsi3pk IS NOT NULL;
"""
# Added later; a store made before it gains the columns on opening (see docs/dynamodb.md).
_GSI4 = """
CREATE INDEX IF NOT EXISTS items_gsi4 ON items (gsi4pk, gsi4sk) WHERE gsi4pk IS NOT NULL;
"""


class SqliteTable(table.Table):
    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._writer = threading.Lock()
        with self._connection() as db:
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(items)")}
            for column in ("gsi4pk", "gsi4sk"):
                if column not in columns:
                    db.execute(f"ALTER TABLE items ADD COLUMN {column} TEXT")
            db.executescript(_GSI4)

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must not be shared across threads.
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before the write returns, as DynamoDB acknowledges
            # only durable writes. With NORMAL in WAL mode a committed transaction may roll
            # back after a power loss or an OS crash: a reference or a booking code the
            # citizen already holds (maybe e-mailed) would vanish, and a lost booking frees a
            # place that is then given twice. It costs one fsync of the log per commit.
            db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
            # A checkpoint every ~40 MB of log instead of every 4 MB: at SQLite's default a
            # case's items paid for one every ~50 commits, which cost more than the commits
            # themselves. Durability is unchanged (a checkpoint only moves committed pages).
            db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    @contextmanager
    def _write_transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        # Writers of this process queue on a lock: SQLite's own busy handler would make them
        # sleep and poll (1, 2, 5, 10 ms...) while another thread commits.
        with self._writer:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
            finally:
                self._local.__dict__.pop("rows", None)

    # --- reads ---------------------------------------------------------------

    def get(self, key: table.Key) -> table.Item | None:
        return _read(self._connection(), key)

    def _get_many(self, keys: Sequence[table.Key]) -> list[table.Item]:
        db = self._connection()
        return [item for key in keys if (item := _read(db, key)) is not None]

    def _query(self, query: table.Query) -> list[table.Item]:
        pk_col, sk_col = query.key_attrs
        sql = f"{_SELECT} WHERE {pk_col} = ?"
        args: list[object] = [query.pk]
        sk = query.sk
        if sk and sk.begins_with is not None:
            # A range on the prefix keeps the index usable (LIKE would not).
            sql += f" AND {sk_col} >= ? AND {sk_col} < ?"
            args += [sk.begins_with, sk.begins_with + "\uffff"]
        if sk and sk.low is not None:
            sql += f" AND {sk_col} >= ?"
            args.append(sk.low)
        if sk and sk.high is not None:
            sql += f" AND {sk_col} <= ?"
            args.append(sk.high)
        sql += f" ORDER BY {sk_col} {'DESC' if query.newest_first else 'ASC'}"
        if query.limit is not None:
            sql += " LIMIT ?"
            args.append(query.limit)
        return [_to_item(row) for row in self._connection().execute(sql, args)]

    # --- writes --------------------------------------------------------------

    def _write(self, op: table.Operation) -> table.Item | None:
        with self._write_transaction() as db:
            return self._apply(db, op, 0)

    def _transact(self, ops: Sequence[table.Operation]) -> None:
        with self._write_transaction() as db:
            # As in DynamoDB, every condition is judged against the state before the
            # transaction (no two operations share a key, so writing one does not change
            # what another reads); a failed one rolls back those written before it.
            for index, op in enumerate(ops):
                self._apply(db, op, index)

    def _apply(self, db: sqlite3.Connection, op: table.Operation, index: int) -> table.Item | None:
        # A condition needs the stored item, an Update adds to it; a Put replaces it unread.
        read = op.condition is not None or isinstance(op, table.Update)
        current = _read(db, op.key) if read else None
        if not holds(op.condition, current):
            raise table.ConditionFailed(index)
        match op:
            case table.Put(item=item):
                db.execute(_INSERT, self._row_of(item))
            case table.Update(key=key, add=add, set=set_):
                updated: table.Item = dict(current or {"pk": key.pk, "sk": key.sk})
                for attr, amount in add.items():
                    updated[attr] = int(updated.get(attr) or 0) + amount
                for attr, value in set_.items():
                    if value is None:
                        updated.pop(attr, None)
                    else:
                        updated[attr] = value
                # Only now is the whole item known; a refusal rolls the transaction back.
                row = _encode(updated)
                bound = _row_bound(row)
                if bound is None or bound > table.MAX_ITEM_BYTES:
                    table.refuse_too_large(table.item_size(updated))
                db.execute(_INSERT, row)
                return updated
            case table.Delete(key=key):
                db.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (key.pk, key.sk))
        return None

    def _size_bound(self, op: table.Operation) -> int:
        if isinstance(op, table.Put):
            # Encoded afresh for each write, and kept for it: the exact walk cost more.
            row = _encode(op.item)
            self._local.__dict__.setdefault("rows", {})[id(op.item)] = (op.item, row)
            bound = _row_bound(row)
            if bound is not None:
                return bound
        return table.written_size(op)

    def _row_of(self, item: table.Item) -> list[object]:
        kept = self._local.__dict__.get("rows", {}).pop(id(item), None)
        return kept[1] if kept is not None and kept[0] is item else _encode(item)

    def remove_expired(self, now_epoch: int) -> int:
        """What DynamoDB's TTL does on `expires_at`: items past it go (called by the worker)."""
        with self._write_transaction() as db:
            cursor = db.execute(
                "DELETE FROM items WHERE CAST(json_extract(attrs, '$.expires_at') AS INTEGER) < ?",
                (now_epoch,),
            )
            return cursor.rowcount

    def clear(self) -> None:
        with self._write_transaction() as db:
            db.execute("DELETE FROM items")


def _read(db: sqlite3.Connection, key: table.Key) -> table.Item | None:
    row = db.execute(_READ, (key.pk, key.sk)).fetchone()
    return _to_item(row) if row else None


def _to_item(row: tuple) -> table.Item:
    item: table.Item = {
        col: value for col, value in zip(_KEY_COLUMNS, row, strict=False) if value is not None
    }
    item.update(json.loads(row[-1]))
    return item


def _encode(item: table.Item) -> list[object]:
    attrs = {k: v for k, v in item.items() if k not in _KEYS}
    return [item.get(col) for col in _KEY_COLUMNS] + [_json(attrs)]


def _row_bound(row: list[object]) -> int | None:
    """An upper bound of the size of the item encoded as ``row`` (None: count it exactly)."""
    try:
        keys = "".join(filter(None, row[:-1]))  # type: ignore[arg-type]
    except TypeError:  # a key that is not a string: DynamoDB refuses it, counted exactly
        return None
    key_bytes = len(keys) if keys.isascii() else 4 * len(keys)
    return _KEY_NAMES_BYTES + key_bytes + table.json_size_bound(cast(str, row[-1]))


def holds(condition: table.Condition | None, current: table.Item | None) -> bool:
    """Evaluates a condition against the current item (used by stores without native conditions)."""
    match condition:
        case None:
            return True
        case table.Absent():
            return current is None
        case table.Exists():
            return current is not None
        case table.Equals(attr, value):
            return current is not None and current.get(attr) == value
        case table.Below(attr, limit):
            return current is None or current.get(attr) is None or current[attr] < limit
        case table.AtLeast(attr, value):
            return current is not None and current.get(attr) is not None and current[attr] >= value
    raise TypeError(f"unknown condition {condition!r}")

"""The embedded store acknowledges a write only once it is on disk, as DynamoDB does: in WAL mode
with synchronous=NORMAL a committed case or booking may roll back after a power loss."""

from __future__ import annotations

import threading

from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Key, Put

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_connection_of_the_store_commits_with_a_flush(tmp_path):
    store = SqliteTable(tmp_path / "store.db")
    store.write(Put({"pk": "CASE#1", "sk": "CASE"}))
    levels = [store._connection().execute("PRAGMA synchronous").fetchone()[0]]

    def other_thread() -> None:  # each thread has its own connection
        store.write(Put({"pk": "CASE#2", "sk": "CASE"}))
        levels.append(store._connection().execute("PRAGMA synchronous").fetchone()[0])

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert levels == [FULL, FULL]
    assert store._connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.get(Key("CASE#2", "CASE")) == {"pk": "CASE#2", "sk": "CASE"}

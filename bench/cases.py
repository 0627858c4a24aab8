"""Case intake and reads on the embedded store, each beside the limit SQLite itself sets.

- intake: the whole use case (validation, routing, the case, its timer and its message in
  one transaction) against a raw ``BEGIN IMMEDIATE; INSERT; COMMIT`` of one row on the same
  database with the same PRAGMAs (WAL, synchronous=FULL, the store's durability); commits per
  case are counted. The same pair is measured again with both sides at synchronous=NORMAL (no
  fsync per commit), a row without a target: what the store's own work costs beside SQLite's
  when the disk's flush is not in both.
- reads: one case, an agent's queue and the sweeper's overdue page, each against one raw
  SELECT of the same rows through the same index, decoded the same way (case items with
  their history items): what the adapter adds over the store, not over a strawman.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from bench.harness import Result, at_least, duration, paired, rate, value_at_most
from chalicelib.adapters.case_items import case_from_item, sortable
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.sqlite.table import _KEY_COLUMNS, SYNCHRONOUS, SqliteTable, _to_item
from chalicelib.clock import MovableClock
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.cases import Citizen
from chalicelib.services import cases
from devtools.runtime import local_context

CITIZEN = Citizen("Γιάννης Παπαδάκης", amka="15038512347", email="giannis@example.gr")
COLUMNS = ", ".join(_KEY_COLUMNS)


def _context(path: Path):
    clock = MovableClock(datetime(2026, 12, 1, 9, tzinfo=ATHENS), frozen=True)
    table = SqliteTable(path)
    ctx = local_context(table, clock, timers=TableTimers(table))
    return ctx, table, clock


def _submit(ctx, agency: str = "efka", topic: str = "contributions") -> str:
    command = cases.SubmitCase(agency, topic, "Εισφορές", "Ερώτηση", "el", CITIZEN)
    return cases.submit_case(ctx, command)["reference"]


def _raw_connection(path: Path, store: sqlite3.Connection) -> sqlite3.Connection:
    """A plain connection to the same file with the store's own durability settings."""
    raw = sqlite3.connect(path, isolation_level=None, timeout=30)
    for pragma in ("journal_mode", "synchronous", "wal_autocheckpoint"):
        value = store.execute(f"PRAGMA {pragma}").fetchone()[0]
        raw.execute(f"PRAGMA {pragma}={value}")
    return raw


def _intake_pair(ctx, table: SqliteTable, path: Path, scale: int) -> Result:
    """Cases submitted against raw one-row commits on the same file, in interleaved rounds."""
    raw = _raw_connection(path, table._connection())
    counter = itertools.count()

    def raw_commit() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            "INSERT INTO items (pk, sk, attrs) VALUES (?, 'RAW', '{\"n\": 1}')",
            (f"RAW#{next(counter)}",),
        )
        raw.execute("COMMIT")

    each = max(20, scale // 3)
    submit, commit, ratio, rounds = paired(
        lambda: rate(lambda: _submit(ctx), each), lambda: rate(raw_commit, each * 5)
    )
    return Result(
        "submit a case, in process (SQLite)",
        "/s",
        submit,
        "raw SQLite commit of one row, same PRAGMAs",
        commit,
        ratio,
        rounds=rounds,
    )


def _intake(ctx, table: SqliteTable, path: Path, scale: int) -> list[Result]:
    intake = _intake_pair(ctx, table, path, scale)
    intake.name += f" at synchronous={SYNCHRONOUS}"
    commits: list[str] = []
    table._connection().set_trace_callback(
        lambda sql: commits.append(sql) if sql.startswith("COMMIT") else None
    )
    for _ in range(20):
        _submit(ctx)
    table._connection().set_trace_callback(None)
    per_case = Result("commits per case submitted", "", len(commits) / 20, "one transaction", 1)
    return [at_least(intake, 0.1), value_at_most(per_case, 1, "<= 1 commit")]


def _intake_not_durable(tmp: Path, scale: int) -> Result:
    """The same pair with both sides at synchronous=NORMAL, as the store ran before: no target
    (a commit there may roll back after a power loss), shown so the FULL figure is not read
    as the store's own speed."""
    path = tmp / "normal.db"
    ctx, table, _ = _context(path)
    table._connection().execute("PRAGMA synchronous=NORMAL")  # this thread's, the bench's own
    intake = _intake_pair(ctx, table, path, scale)
    intake.name += " at synchronous=NORMAL (both sides; no target)"
    return intake


def _decoded(raw: sqlite3.Connection, sql: str, args: tuple) -> list:
    return [case_from_item(_to_item(row)) for row in raw.execute(sql, args)]


def _read_figure(name: str, figure, raw, sql: str, args: tuple, repeat: int) -> Result:
    value, base, ratio, rounds = paired(
        lambda: duration(figure, repeat) * 1000,
        lambda: duration(lambda: _decoded(raw, sql, args), repeat) * 1000,
    )
    limit = "one raw SELECT of the same rows, decoded alike"
    return Result(name, "ms", value, limit, base, ratio, rounds=rounds)


def run(scale: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        ctx, table, clock = _context(path)
        results = _intake(ctx, table, path, scale)
        results.insert(1, _intake_not_durable(Path(tmp), scale))
        # A realistic backlog: many open cases over several teams and agencies.
        for i in range(scale * 4):
            _submit(ctx, *(("dypa", "training") if i % 3 else ("efka", "pension")))
        raw = _raw_connection(path, table._connection())
        reference = _submit(ctx)
        select = f"SELECT {COLUMNS}, attrs FROM items"
        results.append(
            _read_figure(
                "read one case",
                lambda: ctx.cases.get(reference),
                raw,
                f"{select} WHERE pk = ? AND sk = 'CASE'",
                (f"CASE#{reference}",),
                200,
            )
        )
        maria = ctx.directory.agents["maria"]
        team = sorted(maria.teams)[0]
        results.append(
            _read_figure(
                "an agent's queue, 50 oldest due",
                lambda: cases.queue(ctx, maria, limit=50),
                raw,
                f"{select} WHERE gsi1pk = ? ORDER BY gsi1sk LIMIT 50",
                (f"QUEUE#{team}",),
                20,
            )
        )
        clock.advance(timedelta(hours=8, minutes=1))  # everything is overdue at tier 1
        results.append(
            _read_figure(
                "find 100 overdue cases (sweeper)",
                lambda: ctx.cases.due(clock.now(), 100),
                raw,
                f"{select} WHERE gsi2pk = 'DEADLINE' AND gsi2sk <= ? ORDER BY gsi2sk LIMIT 100",
                (sortable(clock.now()) + "\uffff",),
                10,
            )
        )
    return results

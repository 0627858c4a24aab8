"""Case intake: what the services cost over the bare store, and what the indexes save."""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import timedelta
from pathlib import Path

from bench.harness import Result, per_second, seconds
from chalicelib import bootstrap
from chalicelib.adapters.case_items import case_from_item
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.adapters.table import Put
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.cases import Citizen
from chalicelib.services import cases

CITIZEN = Citizen("Γιάννης Παπαδάκης", amka="15038512347", email="giannis@example.gr")


def _context(path: Path) -> tuple:
    from datetime import datetime

    clock = MovableClock(datetime(2026, 12, 1, 9, tzinfo=ATHENS), frozen=True)
    table = SqliteTable(path)
    ctx = bootstrap.build(
        Settings(),
        clock=clock,
        table=table,
        timers=TableTimers(table),
        notifier=OutboxNotifier(table, clock.now),
    )
    return ctx, table, clock


def _submit(ctx, agency: str = "efka", topic: str = "contributions") -> str:
    command = cases.SubmitCase(agency, topic, "Εισφορές", "Ερώτηση", "el", CITIZEN)
    return cases.submit_case(ctx, command)["reference"]


def run(scale: int) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx, table, clock = _context(Path(tmp) / "bench.db")
        counter = itertools.count()

        submit_rate = per_second(lambda: _submit(ctx), scale)
        raw_rate = per_second(
            lambda: table.write(
                Put({"pk": f"RAW#{next(counter)}", "sk": "X", "doc": json.dumps({"n": 1})})
            ),
            scale,
        )
        results.append(
            Result(
                "submit a case (SQLite)", "/s", submit_rate, "one bare conditional put", raw_rate
            )
        )

        # A realistic backlog: many open cases over several teams and agencies.
        for i in range(scale * 4):
            _submit(ctx, *(("dypa", "training") if i % 3 else ("efka", "pension")))
        maria = ctx.directory.agents["maria"]
        queue_time = seconds(lambda: cases.queue(ctx, maria, limit=50))
        scan_time = seconds(lambda: _scan_queue(table, "first-line", 50))
        results.append(
            Result(
                "an agent's queue, 50 oldest due",
                "ms",
                queue_time * 1000,
                "scan every case and sort",
                scan_time * 1000,
            )
        )

        clock.advance(timedelta(hours=8, minutes=1))  # everything is overdue at tier 1
        sweep_time = seconds(lambda: ctx.cases.due(clock.now(), 100), repeats=3)
        scan_due = seconds(lambda: _scan_due(table, clock.now(), 100), repeats=3)
        results.append(
            Result(
                "find 100 overdue cases (sweeper)",
                "ms",
                sweep_time * 1000,
                "scan every case",
                scan_due * 1000,
            )
        )
    return results


def _all_cases(table: SqliteTable) -> list:
    # What a store without the indexes would have to do (a Scan in DynamoDB terms).
    rows = table._connection().execute("SELECT pk, sk, attrs FROM items WHERE sk = 'CASE'")
    return [case_from_item({"pk": pk, "sk": sk, **json.loads(attrs)}) for pk, sk, attrs in rows]


def _scan_queue(table: SqliteTable, team: str, limit: int) -> list:
    open_cases = [c for c in _all_cases(table) if c.is_open and c.owner.team == team]
    return sorted(open_cases, key=lambda c: c.clocks.resolution_due)[:limit]


def _scan_due(table: SqliteTable, now, limit: int) -> list:
    due = [c for c in _all_cases(table) if (d := c.next_deadline()) and d <= now]
    return sorted(due, key=lambda c: c.next_deadline())[:limit]

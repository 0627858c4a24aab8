"""What an operation costs in round trips, not in moto's milliseconds: DynamoDB calls per
operation (counted through botocore's events over moto, in process) and SQLite commits per
operation. moto's timings say nothing about DynamoDB's, so none is printed.

Then every route of the HTTP contract, walked by tests/api/test_dynamodb_calls.py: the figure
fails if any request costs more than three calls or makes a Scan.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import boto3
from moto import mock_aws

from bench.bookings import BRANCH, MORNING, SERVICE, _citizen, _context_over
from bench.cases import CITIZEN
from bench.harness import ROOT, Result, value_at_most
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.domain.bookings import Mode
from chalicelib.domain.calendar import ATHENS
from chalicelib.services import bookings, cases

LIMIT = 3
WEEK = timedelta(days=4)
WALK = "tests/api/test_dynamodb_calls.py"


def _operations(ctx) -> list[tuple[str, Callable[[], object]]]:
    """The operations in order (each may use what the ones before made)."""
    made: dict[str, dict] = {}
    ten = datetime.combine(MORNING, time(10), ATHENS)
    eleven = datetime.combine(MORNING, time(11), ATHENS)

    def submit() -> None:
        command = cases.SubmitCase("efka", "contributions", "Εισφορές", "Ερώτηση", "el", CITIZEN)
        made["case"] = cases.submit_case(ctx, command)

    def book() -> None:
        command = bookings.BookAppointment(BRANCH, SERVICE, ten, Mode.IN_PERSON, "el", _citizen(7))
        made["booking"] = bookings.book(ctx, command)

    def booking() -> tuple[str, str]:
        return made["booking"]["code"], made["booking"]["manage_token"]

    return [
        ("submit a case", submit),
        (
            "track a case",
            lambda: cases.track_case(
                ctx, made["case"]["reference"], made["case"]["tracking_token"]
            ),
        ),
        ("an agent's queue", lambda: cases.queue(ctx, ctx.directory.agents["maria"], limit=50)),
        (
            "a week's availability",
            lambda: bookings.availability(ctx, BRANCH, SERVICE, MORNING, MORNING + WEEK),
        ),
        ("book an appointment", book),
        ("reschedule it", lambda: bookings.reschedule(ctx, *booking(), eleven)),
        ("cancel it", lambda: bookings.cancel(ctx, *booking())),
    ]


def _dynamodb_calls() -> dict[str, list[str]]:
    counted: dict[str, list[str]] = {}
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-central-1")
        create_table(client, "bench")
        ctx = _context_over(DynamoTable(client, "bench"))
        calls: list[str] = []
        client.meta.events.register(
            "provide-client-params.dynamodb.*", lambda model, **_: calls.append(model.name)
        )
        for name, operation in _operations(ctx):
            calls.clear()
            operation()
            counted[name] = list(calls)
    return counted


def _sqlite_commits() -> dict[str, int]:
    counted: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        table = SqliteTable(Path(tmp) / "calls.db")
        ctx = _context_over(table)
        commits: list[str] = []
        table._connection().set_trace_callback(
            lambda sql: commits.append(sql) if sql.startswith("COMMIT") else None
        )
        for name, operation in _operations(ctx):
            commits.clear()
            operation()
            counted[name] = len(commits)
        table._connection().set_trace_callback(None)
    return counted


def _route_walk() -> Result:
    walk = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", WALK],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    result = Result(
        "request routes over 3 DynamoDB calls or scanning (every route walked)",
        "",
        0 if walk.returncode == 0 else 1,
        "none",
        0,
        ratio=0.0,
    )
    if walk.returncode != 0:
        print(walk.stdout[-2000:], flush=True)
    return value_at_most(result, 0, "0 (test passes)")


def run(_scale: int = 0) -> list[Result]:
    dynamodb = _dynamodb_calls()
    commits = _sqlite_commits()
    results = []
    for name, calls in dynamodb.items():
        print(f"  {name}: DynamoDB {calls}; SQLite commits {commits[name]}", flush=True)
        scans = [c for c in calls if c == "Scan"]
        result = Result(
            f"{name}: DynamoDB calls (moto, counted) / SQLite commits {commits[name]}",
            "",
            len(calls) + (100 if scans else 0),
            "the bound per request",
            LIMIT,
        )
        results.append(value_at_most(result, LIMIT, "<= 3, no Scan"))
    results.append(_route_walk())
    return results

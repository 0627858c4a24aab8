"""Puts existing items into gsi4, the index added after they were written: open cases
(``OPENQUEUE``, the supervisors' queue) and waiting entries (``WAITING#<branch>``).

    .venv/bin/python -m infra.backfill_gsi4 --table citizen-service-prod [--dry-run]
                                            [--page-size 100]
                                            [--start-key '{"pk": {"S": ...}, "sk": {"S": ...}}']

Run once after the stack that adds gsi4 is deployed (docs/deploy.md). It pages through the
table with a filtered ``Scan`` (an operator's tool, never a request path), reads each open
case or waiting entry through the app's own repository, encodes it as a save would and
writes only its gsi4 keys, on the condition that its version is still the one read: an item
saved meanwhile already carries the keys and is left alone. Idempotent: items that have gsi4
keys are not selected, so a second run changes nothing. Stopped midway, it prints the last key
to resume from.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.booking_items import entry_from_item, entry_item
from chalicelib.adapters.case_items import case_item
from chalicelib.adapters.cases import TableCaseRepository
from chalicelib.adapters.dynamodb.table import DynamoTable
from chalicelib.adapters.table import ConditionFailed, Equals, Item, Key, Table, Update
from chalicelib.domain.errors import NotFound

# Items that need gsi4 keys: an open case or a waiting entry is in gsi1 (its queue or line).
_FILTER = (
    "attribute_not_exists(gsi4pk) AND attribute_exists(gsi1pk) AND ("
    "(begins_with(pk, :case) AND sk = :case_sk) OR (begins_with(pk, :wait) AND sk = :wait_sk))"
)
_VALUES = {
    ":case": {"S": "CASE#"},
    ":case_sk": {"S": "CASE"},
    ":wait": {"S": "WAIT#"},
    ":wait_sk": {"S": "WAIT"},
}


@dataclass
class Report:
    scanned: int = 0
    updated: int = 0
    skipped: int = 0  # changed or gone since the scan read it: a save wrote its keys
    last_key: dict[str, Any] | None = field(default=None)


def fresh_keys(table: Table, pk: str, sk: str) -> tuple[Item, int] | None:
    """The item's gsi4 keys as a save would write them now, and the version they belong to."""
    if sk == "CASE":
        try:
            case = TableCaseRepository(table).get(pk.removeprefix("CASE#"))
        except NotFound:
            return None
        encoded, version = case_item(case), case.version
    else:
        stored = table.get(Key(pk, sk))
        if stored is None:
            return None
        entry = entry_from_item(stored)
        encoded, version = entry_item(entry), entry.version
    keys = {name: encoded[name] for name in ("gsi4pk", "gsi4sk") if name in encoded}
    return (keys, version) if keys else None


def backfill(
    client: Any,
    table_name: str,
    *,
    page_size: int = 100,
    start_key: dict[str, Any] | None = None,
    dry_run: bool = False,
    report: Report | None = None,
) -> Report:
    """Pages through the table until its end; ``report`` (if given) shows the progress so far."""
    table = DynamoTable(client, table_name)
    report = report or Report()
    report.last_key = start_key
    while True:
        page = client.scan(
            TableName=table_name,
            Limit=page_size,
            FilterExpression=_FILTER,
            ExpressionAttributeValues=_VALUES,
            ProjectionExpression="pk, sk",
            **({"ExclusiveStartKey": report.last_key} if report.last_key else {}),
        )
        for raw in page.get("Items", []):
            report.scanned += 1
            _resave(table, raw["pk"]["S"], raw["sk"]["S"], report, dry_run)
        report.last_key = page.get("LastEvaluatedKey")
        if report.last_key is None:
            return report


def _resave(table: Table, pk: str, sk: str, report: Report, dry_run: bool) -> None:
    fresh = fresh_keys(table, pk, sk)
    if fresh is None:
        report.skipped += 1
        return
    keys, version = fresh
    if dry_run:
        report.updated += 1
        return
    try:
        table.write(Update(Key(pk, sk), set=keys, condition=Equals("version", version)))
    except ConditionFailed:
        report.skipped += 1  # saved since it was read: that save wrote the keys
        return
    report.updated += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", required=True)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--start-key", type=json.loads, default=None)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    import boto3

    report = Report()
    try:
        backfill(
            boto3.client("dynamodb"),
            args.table,
            page_size=args.page_size,
            start_key=args.start_key,
            dry_run=args.dry_run,
            report=report,
        )
    except KeyboardInterrupt:
        print(f"stopped; resume with --start-key '{json.dumps(report.last_key)}'", file=sys.stderr)
        return 1
    print(f"scanned {report.scanned}, updated {report.updated}, skipped {report.skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

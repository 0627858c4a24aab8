"""The gsi4 backfill puts open cases and waiting entries written before the index into it,
page by page, once: a second run changes nothing (DynamoDB through moto)."""

from __future__ import annotations

from datetime import time

import boto3
import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, book, citizen
from moto import mock_aws
from support import START, TOMORROW, at

from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.clock import MovableClock
from chalicelib.domain.bookings import Mode
from chalicelib.domain.cases import Citizen
from chalicelib.services import branch_admin, waitlist
from chalicelib.services import cases as service
from devtools.runtime import local_context
from devtools.seed import seed_roster
from infra.backfill_gsi4 import backfill

NAME = "citizen-service"


@pytest.fixture
def client():
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
        create_table(dynamodb, NAME)
        yield dynamodb


def _written_before_gsi4(client) -> dict[str, list[str]]:
    """Three cases (one resolved) and a waiting entry, then their gsi4 keys taken away, as
    items saved before the index existed have none."""
    table = DynamoTable(client, NAME)
    clock = MovableClock(START, frozen=True)
    ctx = local_context(table, clock, timers=TableTimers(table))
    seed_roster(ctx)
    person = Citizen("Γιάννης Παπαδάκης", None, None, "giannis@example.gr", None)
    refs = [
        service.submit_case(
            ctx, service.SubmitCase("efka", "contributions", f"Θέμα {n}", "Πότε;", "el", person)
        )["reference"]
        for n in range(3)
    ]
    maria = ctx.directory.agents["maria"]
    service.act(ctx, maria, refs[2], "claim", 1)
    service.act(ctx, maria, refs[2], "resolve", 2, text="Απάντηση")
    katerina = ctx.directory.agents["katerina"]
    branch_admin.set_hours(ctx, katerina, SYNTAGMA, 0, {2: ((time(10), time(10, 10)),)}, {})
    branch_admin.set_capacity(ctx, katerina, SYNTAGMA, 1, CERTIFICATE, {Mode.IN_PERSON: 1})
    book(ctx, at(TOMORROW, 10), 1)
    entry = waitlist.join(
        ctx,
        waitlist.JoinWaitlist(SYNTAGMA, CERTIFICATE, TOMORROW, Mode.IN_PERSON, "el", citizen(2)),
    )
    for page in client.get_paginator("scan").paginate(TableName=NAME):
        for item in page["Items"]:
            if "gsi4pk" in item:
                key = {"pk": item["pk"], "sk": item["sk"]}
                client.update_item(
                    TableName=NAME, Key=key, UpdateExpression="REMOVE gsi4pk, gsi4sk"
                )
    return {"open": refs[:2], "entries": [entry["id"]]}


def _index(client, partition: str) -> list[str]:
    found = DynamoTable(client, NAME).query(partition, index="gsi4")
    return sorted(item["pk"] for item in found)


def test_the_backfill_puts_open_cases_and_waiting_entries_into_gsi4_once(client):
    written = _written_before_gsi4(client)
    assert _index(client, "OPENQUEUE") == []

    first = backfill(client, NAME, page_size=3)
    second = backfill(client, NAME, page_size=3)

    assert _index(client, "OPENQUEUE") == sorted(f"CASE#{r}" for r in written["open"])
    assert _index(client, f"WAITING#{SYNTAGMA}") == [f"WAIT#{e}" for e in written["entries"]]
    assert (first.updated, first.skipped) == (3, 0)
    assert (second.scanned, second.updated) == (0, 0)


def test_a_dry_run_writes_nothing(client):
    _written_before_gsi4(client)

    report = backfill(client, NAME, dry_run=True)

    assert report.updated == 3
    assert _index(client, "OPENQUEUE") == []

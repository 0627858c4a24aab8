"""Personal data over the HTTP contract, on both stores: after a day of journeys no key of
any stored item (the table's or an index's) holds an identifier or a token in clear."""

from __future__ import annotations

from privacy_journeys import run_journeys

from chalicelib.adapters.dynamodb.table import DynamoTable, _from_dynamo
from chalicelib.adapters.sqlite.table import SqliteTable, _to_item
from chalicelib.adapters.table import INDEXES, Item, Table

KEY_FIELDS = ("pk", "sk", *(f"{index}{part}" for index in INDEXES for part in ("pk", "sk")))


def every_item(table: Table) -> list[Item]:
    """The whole store, read as only a test may (a scan)."""
    if isinstance(table, SqliteTable):
        rows = table._connection().execute(
            "SELECT pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk,"
            " attrs FROM items"
        )
        return [_to_item(row) for row in rows]
    assert isinstance(table, DynamoTable)
    pages = table._client.get_paginator("scan").paginate(TableName=table._name)
    return [_from_dynamo(raw) for page in pages for raw in page["Items"]]


def test_no_key_of_any_stored_item_holds_an_identifier_or_a_token(api):
    seen: list[Item] = []
    secrets = run_journeys(api, midway=lambda: seen.extend(every_item(api.runtime.table)))

    items = seen + every_item(api.runtime.table)

    kinds = {str(item["pk"]).split("#")[0] for item in items}
    assert {"CITIZEN", "ACTIVE", "NOSHOW", "OPENCB", "WAITING", "ACCESS", "IDEM"} <= kinds
    leaks = {
        (item["pk"], name, str(item[name]))
        for item in items
        for name in KEY_FIELDS
        if name in item and item[name] is not None and secrets.found_in(str(item[name]))
    }
    assert leaks == set()

"""The storage primitive: conditions hold atomically in both stores."""

import pytest

from chalicelib.adapters.table import (
    MAX_ITEM_BYTES,
    MAX_TRANSACTION_ITEMS,
    Absent,
    Below,
    Check,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    InvalidTransaction,
    ItemTooLarge,
    Key,
    KeyRange,
    Put,
    StoreRefused,
    Update,
    item_size,
)


def test_a_put_if_absent_refuses_an_existing_key(table):
    table.write(Put({"pk": "A", "sk": "1", "v": 1}, Absent()))

    with pytest.raises(ConditionFailed):
        table.write(Put({"pk": "A", "sk": "1", "v": 2}, Absent()))

    assert table.get(Key("A", "1"))["v"] == 1


def test_a_versioned_put_refuses_a_stale_version(table):
    table.write(Put({"pk": "A", "sk": "1", "version": 1}))
    table.write(Put({"pk": "A", "sk": "1", "version": 2}, Equals("version", 1)))

    with pytest.raises(ConditionFailed):
        table.write(Put({"pk": "A", "sk": "1", "version": 2}, Equals("version", 1)))

    assert table.get(Key("A", "1"))["version"] == 2


def test_a_bounded_counter_stops_at_its_limit(table):
    key = Key("SLOT", "x")

    results = []
    for _ in range(4):
        try:
            table.write(Update(key, add={"booked": 1}, condition=Below("booked", 3)))
            results.append("ok")
        except ConditionFailed:
            results.append("full")

    assert results == ["ok", "ok", "ok", "full"]
    assert table.get(key)["booked"] == 3


def test_an_update_returns_the_new_item_and_removes_attributes_set_to_none(table):
    table.write(Put({"pk": "A", "sk": "1", "keep": "x", "drop": "y"}))

    item = table.write(Update(Key("A", "1"), add={"n": 2}, set={"drop": None, "new": "z"}))

    assert item == {"pk": "A", "sk": "1", "keep": "x", "n": 2, "new": "z"}
    assert table.get(Key("A", "1")) == item


def test_a_transaction_with_one_failing_condition_writes_nothing(table):
    table.write(Put({"pk": "TAKEN", "sk": "1"}))

    with pytest.raises(ConditionFailed) as failure:
        table.transact(
            [
                Put({"pk": "NEW", "sk": "1"}, Absent()),
                Update(Key("COUNTER", "1"), add={"n": 1}),
                Put({"pk": "TAKEN", "sk": "1"}, Absent()),
            ]
        )

    assert failure.value.index == 2
    assert table.get(Key("NEW", "1")) is None
    assert table.get(Key("COUNTER", "1")) is None


def test_a_transaction_applies_every_operation(table):
    table.write(Put({"pk": "OLD", "sk": "1"}))

    table.transact(
        [
            Delete(Key("OLD", "1"), Exists()),
            Put({"pk": "NEW", "sk": "1"}, Absent()),
            Check(Key("NEW2", "1"), Absent()),
        ]
    )

    assert table.get(Key("OLD", "1")) is None
    assert table.get(Key("NEW", "1")) == {"pk": "NEW", "sk": "1"}


def test_queries_read_an_index_in_sort_order_with_ranges_and_limits(table):
    for sk in ["2026-01-03", "2026-01-01", "2026-01-02"]:
        table.write(Put({"pk": f"CASE#{sk}", "sk": "CASE", "gsi1pk": "Q", "gsi1sk": sk}))
    table.write(Put({"pk": "OTHER", "sk": "CASE", "gsi1pk": "R", "gsi1sk": "2026-01-01"}))

    everything = table.query("Q", index="gsi1")
    upto = table.query("Q", KeyRange(high="2026-01-02"), index="gsi1")
    newest = table.query("Q", index="gsi1", newest_first=True, limit=1)
    prefixed = table.query("Q", KeyRange(begins_with="2026-01-0"), index="gsi1", limit=2)

    assert [i["gsi1sk"] for i in everything] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert [i["gsi1sk"] for i in upto] == ["2026-01-01", "2026-01-02"]
    assert [i["gsi1sk"] for i in newest] == ["2026-01-03"]
    assert [i["gsi1sk"] for i in prefixed] == ["2026-01-01", "2026-01-02"]


# --- what DynamoDB refuses, both stores refuse ------------------------------------


def sized(pk: str, size: int) -> dict:
    """An item of exactly ``size`` bytes as DynamoDB counts them: every attribute's name plus
    its value in UTF-8 (here 'pk', 'sk', 'doc'; the Greek letters take two bytes each)."""
    fixed = len("pk") + len(pk) + len("sk") + len("1") + len("doc")
    letters, rest = divmod(size - fixed, 2)
    return {"pk": pk, "sk": "1", "doc": "α" * letters + "x" * rest}


def test_an_item_is_measured_by_its_names_and_values_as_dynamodb_counts_it():
    assert item_size({"pk": "A", "sk": "1"}) == 6
    assert item_size({"note": "Αθήνα"}) == 4 + 10
    assert item_size({"n": 12345}) == 1 + 4
    assert item_size({"n": 7, "gone": None}) == 1 + 2
    assert item_size(sized("A", 1000)) == 1000


def test_two_operations_on_one_key_in_a_transaction_are_refused_and_nothing_is_written(table):
    ops = [
        Put({"pk": "NEW", "sk": "1"}),
        Put({"pk": "SLOT", "sk": "1", "booked": 1}),
        Update(Key("SLOT", "1"), add={"booked": 1}),
    ]

    with pytest.raises(InvalidTransaction):
        table.transact(ops)

    assert table.get(Key("NEW", "1")) is None
    assert table.get(Key("SLOT", "1")) is None


def test_an_item_at_the_size_limit_is_stored_and_one_byte_more_is_refused(table):
    at_limit, over = sized("A", MAX_ITEM_BYTES), sized("B", MAX_ITEM_BYTES + 1)

    table.write(Put(at_limit))
    with pytest.raises(ItemTooLarge):
        table.write(Put(over))
    with pytest.raises(ItemTooLarge):
        table.transact([Put({"pk": "C", "sk": "1"}), Put(over)])

    assert table.get(Key("A", "1")) == at_limit
    assert table.get(Key("B", "1")) is None
    assert table.get(Key("C", "1")) is None


def test_an_item_refused_as_too_large_and_then_cut_down_is_stored_as_it_is_then(table):
    item = sized("A", MAX_ITEM_BYTES + 1)
    with pytest.raises(ItemTooLarge):
        table.write(Put(item))

    item["doc"] = "short"  # the same dict, changed by the caller before trying again
    table.write(Put(item))

    assert table.get(Key("A", "1")) == {"pk": "A", "sk": "1", "doc": "short"}


def test_an_update_that_would_grow_an_item_past_the_limit_is_refused(table):
    table.write(Put(sized("A", 300_000)))

    grow = Update(Key("A", "1"), set={"more": "x" * 150_000})

    with pytest.raises(ItemTooLarge):
        table.write(grow)
    with pytest.raises(ItemTooLarge):
        table.transact([Put({"pk": "B", "sk": "1"}), grow])

    assert table.get(Key("B", "1")) is None
    assert table.get(Key("A", "1")) == sized("A", 300_000)


def test_a_transaction_of_100_items_is_applied_and_one_of_101_is_refused_whole(table):
    table.transact([Put({"pk": f"K{i}", "sk": "1"}) for i in range(MAX_TRANSACTION_ITEMS)])

    with pytest.raises(InvalidTransaction):
        table.transact([Put({"pk": f"L{i}", "sk": "1"}) for i in range(MAX_TRANSACTION_ITEMS + 1)])

    assert table.get(Key("K99", "1")) == {"pk": "K99", "sk": "1"}
    assert table.get(Key("L0", "1")) is None
    assert table.get(Key("L100", "1")) is None


def test_a_transaction_over_4_mb_in_all_is_refused_and_writes_nothing(table):
    ops = [Put(sized(f"M{i}", 390_000)) for i in range(11)]

    with pytest.raises(InvalidTransaction):
        table.transact(ops)

    assert table.get(Key("M0", "1")) is None
    assert table.get(Key("M10", "1")) is None


def test_every_refusal_of_the_store_is_one_kind_of_error():
    assert issubclass(ItemTooLarge, StoreRefused)
    assert issubclass(InvalidTransaction, StoreRefused)


def test_many_items_are_read_at_once_in_the_order_asked_with_none_for_the_absent(table):
    for n in range(3):
        table.write(Put({"pk": f"P#{n}", "sk": "S", "n": n}))
    keys = [Key("P#2", "S"), Key("P#9", "S"), Key("P#0", "S"), Key("P#2", "S")]

    found = table.get_many(keys)

    assert [i and i["n"] for i in found] == [2, None, 0, 2]
    assert table.get_many([]) == []


def test_more_keys_than_one_batch_holds_are_all_read(table):
    table.transact([Put({"pk": f"P#{n}", "sk": "S", "n": n}) for n in range(100)])
    keys = [Key(f"P#{n}", "S") for n in range(130)]

    assert [i and i["n"] for i in table.get_many(keys)] == [*range(100), *[None] * 30]


def test_a_local_store_made_before_the_fourth_index_gains_it_on_opening(tmp_path):
    import sqlite3

    from chalicelib.adapters.sqlite.table import SqliteTable

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE items (pk TEXT NOT NULL, sk TEXT NOT NULL, gsi1pk TEXT, gsi1sk TEXT,"
            " gsi2pk TEXT, gsi2sk TEXT, gsi3pk TEXT, gsi3sk TEXT, attrs TEXT NOT NULL,"
            " PRIMARY KEY (pk, sk)) WITHOUT ROWID"
        )
        db.execute("INSERT INTO items (pk, sk, attrs) VALUES ('OLD', 'S', '{\"n\": 1}')")

    table = SqliteTable(path)
    table.write(Put({"pk": "NEW", "sk": "S", "gsi4pk": "P", "gsi4sk": "1"}))

    assert table.get(Key("OLD", "S")) == {"pk": "OLD", "sk": "S", "n": 1}
    assert [i["pk"] for i in table.query("P", index="gsi4")] == ["NEW"]
    assert [i["pk"] for i in SqliteTable(path).query("P", index="gsi4")] == ["NEW"]

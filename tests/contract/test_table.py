"""The storage primitive: conditions hold atomically in both stores."""

import pytest

from chalicelib.adapters.table import (
    Absent,
    Below,
    Check,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    Key,
    KeyRange,
    Put,
    Update,
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

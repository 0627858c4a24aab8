"""The 400 KB refusal is judged from a cheap bound (twice an item's JSON) and the exact walk runs
only when the bound is over the limit: the refusal stays exact only if the bound is never below
the size DynamoDB counts. Checked here where it is tightest, and over generated values.

Why it holds (json.dumps with ensure_ascii=False and its default separators ", " and ": "): each
value costs at most twice its JSON bytes, and each attribute's name at most its bytes, while the
JSON spends at least 4 bytes more on it (two quotes and ": "). A string's UTF-8 bytes are fewer
than its JSON's; a number of d significant digits costs (d+1)//2+1 <= 2d bytes and takes at least
d characters (0: 2 bytes against 1); a bool or a null costs 1 byte against 4 or 5; a list of
n >= 1 elements costs 3 + n + their sizes, so at most 3 + n + twice their JSON, while its own JSON
is theirs plus 2n ("[", "]" and n-1 ", "), and 3 + n <= 4n; an empty list or map costs 3 against
2 (twice: 4); a map costs as a list plus its keys' bytes, which its JSON holds in quotes. So the
size is at most twice the JSON's bytes; and a JSON string's UTF-8 bytes are at most 4 a
character (its length when it is ASCII). The embedded store adds the key columns, which it keeps
out of the JSON, at their names' bytes plus 4 bytes a character (its length when ASCII)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.item_sizes import item_size, json_size_bound
from chalicelib.adapters.sqlite.table import _KEY_COLUMNS, _encode, _row_bound


def bound(item: dict) -> int:
    return json_size_bound(json.dumps(item, ensure_ascii=False))


@pytest.mark.parametrize(
    ("item", "size"),
    [
        # DynamoDB's rules: a list or a map is 3 bytes, each element its size plus one byte.
        ({"l": [1, 2, 3]}, 1 + 3 + 3 * (2 + 1)),
        ({"m": {}}, 1 + 3),
        ({"m": {"": {"": {}}}}, 1 + 3 + (0 + 3 + (0 + 3 + 1) + 1)),
        ({"l": [[], [[]]]}, 1 + 3 + (3 + 1) + (3 + (3 + 1) + 1)),
        ({"l": [None, True, False]}, 1 + 3 + 3 * (1 + 1)),
        ({"n": 0, "b": True}, 1 + 2 + 1 + 1),
        ({"n": -1200}, 1 + 2),
        ({"s": "Αθήνα"}, 1 + 10),
    ],
)
def test_the_exact_size_follows_dynamodbs_rules(item, size):
    assert item_size(item) == size


TIGHT = [
    {"l": [7] * 1000},  # one-digit numbers: 3 bytes each, 3 characters of JSON each
    {"l": [0] * 10, "z": 0},
    {"m": {"": {"": {"": {"": {}}}}}},  # nested empty maps
    {"l": [[[[[]]]]] * 50},  # nested empty lists: 4 bytes a level against 2 characters
    {"l": [[[[[[[[[[1]]]]]]]]]]},
    {"b": True, "f": False, "t": [True, False] * 20},
    {"e": [], "m": {}, "x": [{}] * 30},
    {"l": [None] * 40},
    {"": 1, "a": 2},
    {"s": "\u200b\x85\U000e0001" * 30},  # invisible characters, 2 to 4 bytes each
    {"s": "α" * 100, "κλειδί": "τιμή"},
    {"s": '"\\\n\t'},
    {"n": 10**37, "m": -(10**37) + 1},
]


@pytest.mark.parametrize("item", TIGHT)
def test_the_bound_is_never_below_the_exact_size_on_tricky_values(item):
    assert item_size(item) <= bound(item)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1)
    | st.text(),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_the_bound_is_never_below_the_exact_size(item):
    assert item_size(item) <= bound(item)


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=1),
    st.text(min_size=1),
    st.dictionaries(st.text(max_size=8), json_values, max_size=6),
)
def test_the_embedded_stores_bound_covers_the_key_columns_too(pk, sk, attrs):
    item = {**attrs, "pk": pk, "sk": sk, "gsi1pk": "QUEUE#ομάδα", "gsi1sk": sk}
    row_bound = _row_bound(_encode(item))
    if row_bound is None:  # counted exactly: a key column that is not a string
        assert any(not isinstance(item.get(c, ""), str | None) for c in _KEY_COLUMNS)
    else:
        assert item_size(item) <= row_bound


def test_a_key_that_is_not_a_string_is_counted_exactly():
    assert _row_bound(_encode({"pk": "A", "sk": 1})) is None

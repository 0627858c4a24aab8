"""An item's size as DynamoDB counts it, and a cheap upper bound of it."""

from __future__ import annotations

from typing import Any


def item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: each attribute's name plus its value (UTF-8 bytes
    of a string, one byte per two significant digits of a number plus one); None is not stored."""
    return sum(len(name.encode()) + _value_size(v) for name, v in item.items() if v is not None)


def _value_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bool) or value is None:  # (None inside a list or a map: a NULL)
        return 1
    if isinstance(value, int):
        digits = len(str(abs(value)).strip("0")) or 1
        return (digits + 1) // 2 + 1
    # A list or a map: 3 bytes, and each element its own size (a map's, with its key) plus one.
    if isinstance(value, dict):
        keys = len("".join(map(str, value)).encode())
        return 3 + len(value) + keys + sum(map(_value_size, value.values()))
    if isinstance(value, list | tuple):
        return 3 + len(value) + sum(map(_value_size, value))
    return len(str(value).encode())


def json_size_bound(encoded: str) -> int:
    """An upper bound of ``item_size`` of the attributes whose JSON is ``encoded`` (json.dumps,
    ensure_ascii=False): twice its UTF-8 bytes (proof: tests/unit/test_item_size_bound.py)."""
    return 2 * (len(encoded) if encoded.isascii() else 4 * len(encoded))

"""How large an item is, as DynamoDB counts it, and a cheap upper bound of it (see
``json_size_bound``): both stores refuse an item over 400 KB exactly as DynamoDB does."""

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
    # A list or a map: 3 bytes, and each element its own size plus one byte.
    if isinstance(value, list | tuple):
        return 3 + sum(_value_size(v) + 1 for v in value)
    if isinstance(value, dict):
        return 3 + sum(len(str(k).encode()) + _value_size(v) + 1 for k, v in value.items())
    return len(str(value).encode())


def json_size_bound(encoded: str) -> int:
    """An upper bound of the size (as ``item_size`` counts it) of the attributes whose JSON is
    ``encoded`` (``json.dumps(attrs, ensure_ascii=False)``, default separators): a store that
    encodes its items anyway judges most of them from this, and walks only those near a limit.

    Sound, not hoped: each value costs at most twice its JSON bytes, and each attribute's name
    at most its bytes, while JSON spends at least 4 bytes more on it (quotes, ": "):
    a string's UTF-8 bytes are fewer than its JSON's; a number of d significant digits costs
    (d+1)//2+1 <= 2d bytes and takes at least d characters (0: 2 bytes against 1); a bool or a
    null costs 1 byte against 4 or 5; a list of n >= 1 elements costs 3 + n + their sizes, at
    most 3 + n + twice their JSON, while its JSON is theirs plus 2n ("[", "]" and n-1 ", "),
    so 3 + n <= 4n; an empty list or map costs 3 against 2 (x2 = 4); a map as a list, plus its
    keys' bytes, which its JSON holds with quotes. So size <= 2 x JSON bytes; and a JSON
    string's UTF-8 bytes are at most 4 per character (just its length when it is ASCII).
    tests/unit/test_item_size_bound.py checks it on the values where it is tightest."""
    return 2 * (len(encoded) if encoded.isascii() else 4 * len(encoded))

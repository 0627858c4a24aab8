"""How a callback is laid out as table items (the same in SQLite and DynamoDB).

The callback item holds the whole callback as a JSON document, written and read by one
codec that follows the domain dataclasses field by field (instants as ISO 8601 with their
offset, enums by value), and the index keys of the access patterns in docs/dynamodb.md.
"""

from __future__ import annotations

import json
import types
from dataclasses import MISSING, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from chalicelib.domain.callbacks import Callback, Status, Window
from chalicelib.domain.local_time import athens_day

from .case_items import sortable
from .pseudonyms import citizen_partition, pseudonym
from .table import AtLeast, Below, Delete, Item, Key, Update

QUEUE = "CBQUEUE#"
CLAIMED = "CBAGENT#"
WINDOW_END = "CBWINDOWEND"
# Claimed callbacks by claim time: the sweeper gives back a stale claim whose timer was lost.
CLAIM_HELD = "CBCLAIMED"
MISSED = "CBMISSED"

T = TypeVar("T")


# --- keys ------------------------------------------------------------------------------


def callback_key(reference: str) -> Key:
    return Key(f"CALLBACK#{reference}", "CALLBACK")


def window_key(window: Window) -> Key:
    return Key(f"CBWIN#{window.team}", sortable(window.start))


def lock_key(agency: str, phone: str) -> Key:
    """One open callback per phone and agency."""
    return Key(f"OPENCB#{agency}#{pseudonym('phone', phone)}", "OPENCB")


def missed_key(team: str, day: date) -> Key:
    return Key(f"CBSTAT#{team}", f"{day.isoformat()}#missed")


def missed_day_key(callback: Callback) -> Key:
    """The counter of the team's missed callbacks on the (Athens) day of the window."""
    return missed_key(callback.owner.team, athens_day(callback.window.start))


# --- items -----------------------------------------------------------------------------


def callback_item(callback: Callback) -> Item:
    key = callback_key(callback.reference)
    item: Item = {
        "pk": key.pk,
        "sk": key.sk,
        "version": callback.version,
        "doc": json.dumps(to_doc(callback, skip={"version"}), ensure_ascii=False),
    }
    return item | _index_keys(callback)


def callback_from_item(item: Item) -> Callback:
    return from_doc(Callback, json.loads(item["doc"]), version=int(item["version"]))


def _index_keys(callback: Callback) -> Item:
    keys: Item = {}
    ref = callback.reference
    if callback.status == Status.SCHEDULED:
        keys["gsi1pk"] = QUEUE + callback.owner.team
        keys["gsi1sk"] = (
            f"{sortable(callback.window.start)}#{sortable(callback.requested_at)}#{ref}"
        )
    elif callback.status == Status.CLAIMED and callback.owner.agent:
        keys["gsi1pk"] = CLAIMED + callback.owner.agent
        keys["gsi1sk"] = f"{sortable(callback.due_at)}#{ref}"
        assert callback.claimed_at is not None
        keys["gsi2pk"] = CLAIM_HELD
        keys["gsi2sk"] = f"{sortable(callback.claimed_at)}#{ref}"
    if callback.waits_for_window_end:
        keys["gsi2pk"] = WINDOW_END
        keys["gsi2sk"] = f"{sortable(callback.window.end)}#{ref}"
    if callback.is_overdue:
        assert callback.missed_window is not None
        keys["gsi3pk"] = MISSED
        keys["gsi3sk"] = f"{sortable(callback.missed_window)}#{ref}"
    return keys


def lock_item(callback: Callback) -> Item:
    key = lock_key(callback.agency, callback.phone)
    return {"pk": key.pk, "sk": key.sk, "ref": callback.reference}


def case_link_item(case_reference: str, callback: Callback) -> Item:
    """The callback listed under its case, newest last."""
    return {
        "pk": f"CASECB#{case_reference}",
        "sk": f"{sortable(callback.requested_at)}#{callback.reference}",
        "ref": callback.reference,
    }


def citizen_links(callback: Callback, identifiers: list[tuple[str, str]]) -> list[Item]:
    """The single view's entries: under the phone called, and a linked case's identifiers."""
    pairs = dict.fromkeys([("phone", callback.phone), *identifiers])
    return [
        {
            "pk": citizen_partition(kind, value),
            "sk": f"{sortable(callback.requested_at)}#CALLBACK#{callback.reference}",
            "kind": "callback",
            "ref": callback.reference,
            "agency": callback.agency,
        }
        for kind, value in pairs
    ]


def take_place(window: Window, capacity: int) -> Update:
    """One more place taken in the window, while ``booked < capacity``."""
    return Update(
        window_key(window),
        add={"booked": 1},
        set={
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "capacity": capacity,
        },
        condition=Below("booked", capacity),
    )


def unlock(callback: Callback) -> Delete:
    """The phone may book another callback with the agency."""
    return Delete(lock_key(callback.agency, callback.phone))


def count_missed(callback: Callback) -> Update:
    return Update(missed_day_key(callback), add={"missed": 1})


def give_back_place(window: Window) -> Update:
    """A place of the window free again (a cancellation before it starts)."""
    return Update(window_key(window), add={"booked": -1}, condition=AtLeast("booked", 1))


# --- the document codec ----------------------------------------------------------------


def to_doc(value: Any, skip: frozenset[str] | set[str] = frozenset()) -> Any:
    """A dataclass as a JSON-ready dict in field order; instants in ISO 8601, enums by value."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_doc(getattr(value, f.name)) for f in fields(value) if f.name not in skip}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_doc(v) for v in value]
    return value


def from_doc(kind: type[T], doc: dict[str, Any], **given: Any) -> T:
    """The dataclass ``kind`` back from ``to_doc``'s dict; ``given`` fields were not in it."""
    hints = _hints(kind)
    values = {
        f.name: _decode(hints[f.name], doc[f.name])
        for f in fields(kind)  # type: ignore[arg-type]
        if f.name in doc or (f.name not in given and f.default is MISSING)
    }
    return kind(**values, **given)


@cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def _decode(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        [hint] = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(hint, raw)
    if origin is list:
        [item] = get_args(hint)
        return [_decode(item, v) for v in raw]
    if is_dataclass(hint):
        return from_doc(hint, raw)  # type: ignore[arg-type]
    if hint is datetime:
        return datetime.fromisoformat(raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    return raw

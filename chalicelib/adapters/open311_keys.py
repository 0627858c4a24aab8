"""Open311 client keys over the table: two items per key, written and removed together.

``OPEN311KEY#<hash>`` is found by the key a client sends (one consistent read per request);
``OPEN311KEYS`` / ``KEY#<id>`` lists the keys for administrators and finds one to revoke.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.errors import NotFound
from chalicelib.domain.open311 import ApiKey

from .table import Absent, ConditionFailed, Delete, Exists, Item, Key, KeyRange, Put, Table

_LIST = "OPEN311KEYS"


def _by_hash(key_hash: str) -> Key:
    return Key(f"OPEN311KEY#{key_hash}", "KEY")


def _by_id(key_id: str) -> Key:
    return Key(_LIST, f"KEY#{key_id}")


def _item(key: Key, api_key: ApiKey) -> Item:
    return {
        "pk": key.pk,
        "sk": key.sk,
        "id": api_key.id,
        "client": api_key.client,
        "key_hash": api_key.key_hash,
        "last4": api_key.last4,
        "created_at": api_key.created_at.isoformat(),
    }


def _key_of(item: Item) -> ApiKey:
    return ApiKey(
        id=item["id"],
        client=item["client"],
        key_hash=item["key_hash"],
        last4=item["last4"],
        created_at=datetime.fromisoformat(item["created_at"]),
    )


class TableApiKeys:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, key: ApiKey) -> None:
        try:
            self._table.transact(
                [
                    Put(_item(_by_hash(key.key_hash), key), Absent()),
                    Put(_item(_by_id(key.id), key), Absent()),
                ]
            )
        except ConditionFailed:
            return  # the same key is already held (the local stage seeds its key every start)

    def by_hash(self, key_hash: str) -> ApiKey | None:
        item = self._table.get(_by_hash(key_hash))
        return _key_of(item) if item else None

    def all(self) -> list[ApiKey]:
        items = self._table.query(_LIST, KeyRange(begins_with="KEY#"), consistent=True)
        return sorted((_key_of(item) for item in items), key=lambda k: (k.created_at, k.id))

    def revoke(self, key_id: str) -> None:
        item = self._table.get(_by_id(key_id))
        if item is None:
            raise NotFound("open311-key", id=key_id)
        try:
            self._table.transact(
                [Delete(_by_id(key_id), Exists()), Delete(_by_hash(item["key_hash"]))]
            )
        except ConditionFailed:
            raise NotFound("open311-key", id=key_id) from None  # revoked meanwhile

"""Open311 client keys over both stores: held by hash only, listed, revoked once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import START

from chalicelib.adapters.open311_keys import TableApiKeys
from chalicelib.domain.errors import NotFound
from chalicelib.domain.open311 import hash_key, issue_key


@pytest.fixture
def keys(table):
    return TableApiKeys(table)


def test_a_key_is_found_by_its_hash_and_the_store_never_holds_the_key(keys, table):
    stored, key = issue_key("Δήμος Αθηναίων", START)

    keys.add(stored)

    assert keys.by_hash(hash_key(key)) == stored
    assert keys.by_hash(hash_key("another")) is None
    assert key not in str(table.query("OPEN311KEYS"))


def test_keys_are_listed_oldest_first_and_a_revoked_key_is_gone(keys):
    first, first_key = issue_key("first", START)
    second, _ = issue_key("second", START + timedelta(minutes=1))
    keys.add(second)
    keys.add(first)

    listed = keys.all()
    keys.revoke(first.id)

    assert [k.client for k in listed] == ["first", "second"]
    assert [k.client for k in keys.all()] == ["second"]
    assert keys.by_hash(hash_key(first_key)) is None
    with pytest.raises(NotFound):
        keys.revoke(first.id)


def test_adding_the_same_key_again_leaves_one_key(keys):
    keys.add(issue_key("local", START, "local-open311-demo")[0])
    keys.add(issue_key("local", START, "local-open311-demo")[0])

    assert len(keys.all()) == 1

"""Keys name citizens by a keyed hash of their identifiers, never the identifiers themselves.

A key is copied into indexes, logs of the store, backups and metrics of hot partitions, and
an AMKA or a phone number has few enough values that a plain hash is found again by trying
them all; an HMAC-SHA256 under the stage's pseudonym key (SSM in AWS, see config.py) is not.
Every adapter that puts a citizen into a key calls ``pseudonym`` (or ``citizen_partition``);
the same function names the citizen in the access record, so one identifier is one name.

The key is set once, by the composition root (``bootstrap.build``), before any adapter runs;
it never changes for a store's life, or the old keys would no longer be found.
"""

from __future__ import annotations

from chalicelib.config import LOCAL_PSEUDONYM_KEY
from chalicelib.domain.citizen_view import subject_hash

_key: bytes = LOCAL_PSEUDONYM_KEY.encode()


def use_key(key: bytes) -> None:
    global _key
    _key = key


def pseudonym(kind: str, value: str) -> str:
    """The citizen's name in keys: the same for the same identifier, opaque without the key."""
    normal = value.strip().lower() if kind == "email" else value.strip()
    return subject_hash(kind, normal, _key)


def citizen_partition(kind: str, value: str) -> str:
    """The single view's partition of one identifier: every dealing linked to it."""
    return f"CITIZEN#{kind}#{pseudonym(kind, value)}"

"""What every public write shares: the idempotency key of a retried request, and the secret
tokens citizens hold (only their hashes are stored)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from chalicelib.domain.errors import IdempotencyMismatch, NotFound
from chalicelib.ports import AlreadyRecorded, IdempotencyRecord
from chalicelib.services.context import Context


@dataclass(frozen=True)
class Idempotency:
    """The caller's key and a fingerprint of the body it came with."""

    key: str
    fingerprint: str

    def record(self, scope: str, response: dict[str, Any]) -> IdempotencyRecord:
        return IdempotencyRecord(scope, self.key, self.fingerprint, response)


def replay(ctx: Context, scope: str, idempotency: Idempotency) -> dict[str, Any] | None:
    """The first answer given under this key, or None; another body under the key is a 422."""
    earlier = ctx.idempotency.get(scope, idempotency.key)
    if earlier is None:
        return None
    if earlier.fingerprint != idempotency.fingerprint:
        raise IdempotencyMismatch(scope)
    return earlier.response


Answer = dict[str, Any]


def write_once(
    ctx: Context,
    scope: str,
    idempotency: Idempotency | None,
    write: Callable[[Callable[[Answer], IdempotencyRecord | None]], Answer],
) -> Answer:
    """Runs a public write at most once per idempotency key.

    A key seen before answers as it did the first time. Otherwise ``write`` runs; it builds its
    answer, turns it into the record to store with ``keep(answer)`` and stores that record in
    the same transaction as its change, so a concurrent retry that wins the race is noticed by
    the store (AlreadyRecorded) and answered as the winner was.
    """
    if idempotency is None:
        return write(lambda answer: None)
    earlier = replay(ctx, scope, idempotency)
    if earlier is not None:
        return earlier
    try:
        return write(lambda answer: idempotency.record(scope, answer))
    except AlreadyRecorded:
        earlier = replay(ctx, scope, idempotency)
        assert earlier is not None, "the key was recorded by the write that won"
        return earlier


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token_hash: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(token_hash, hash_token(token or ""))


class _Tracked(Protocol):
    @property
    def token_hash(self) -> str: ...


T = TypeVar("T", bound=_Tracked)


def tracked(get: Callable[[str], T], reference: str, token: str | None, kind: str) -> T:
    """The citizen's own record; a wrong token looks exactly like an unknown reference."""
    try:
        record = get(reference)
    except NotFound:
        raise NotFound(kind) from None
    if not token_matches(record.token_hash, token):
        raise NotFound(kind)
    return record


def keyed_hash(key: bytes, purpose: str, token: str) -> str:
    """An HMAC of a citizen's token under the deployment's secret, labelled by its purpose: a
    copy of the table alone cannot confirm a guessed token."""
    return hmac.new(key, f"{purpose}:{token}".encode(), hashlib.sha256).hexdigest()


def keyed_matches(token_hash: str | None, key: bytes, purpose: str, token: str | None) -> bool:
    if not (token_hash and token):
        return False
    return hmac.compare_digest(token_hash, keyed_hash(key, purpose, token))

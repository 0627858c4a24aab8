"""Optimistic concurrency, the one way: read, decide, write if nobody wrote meanwhile; on a
lost race read again and decide again, a few times, then give up with the conflict.

The store enforces the rule (a version condition); this only decides how often to try again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chalicelib.domain.errors import VersionConflict

T = TypeVar("T")

ATTEMPTS = 3


def retry_on_conflict(
    step: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    conflict: type[Exception] | tuple[type[Exception], ...] = VersionConflict,
) -> T:
    """Runs ``step`` (which reads fresh state each time) until it stores without a conflict.

    Gives up by raising the last conflict: a caller that may lose quietly catches it itself.
    """
    for attempt in range(attempts):
        try:
            return step()
        except conflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover

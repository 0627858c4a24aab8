"""The abuse limits of a public write: its client address and the citizen identifiers it names
are counted in the store, in the transaction of the change (see adapters/metering.py)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from chalicelib.domain.identifiers import (
    InvalidIdentifier,
    normalise_amka,
    normalise_email,
    normalise_greek_phone,
)
from chalicelib.domain.limits import counting_email, quotas
from chalicelib.services.context import Context

_NORMALISE = {"amka": normalise_amka, "phone": normalise_greek_phone, "email": normalise_email}


def metered(
    ctx: Context, address: str | None, identifiers: Iterable[tuple[str, str]]
) -> AbstractContextManager[None]:
    """Opens the request's quotas; identifiers are given as typed (an invalid one is refused by
    the request's own validation, and counts for nothing here)."""
    now = ctx.clock.now()
    counted = [(kind, value) for kind, raw in identifiers if (value := _counted(kind, raw))]
    found = quotas(ctx.limits, now, ctx.pseudonym_key, address, counted)
    return ctx.limiter.metered(found, now)


def _counted(kind: str, raw: str) -> str | None:
    try:
        value = _NORMALISE[kind](raw)
    except (InvalidIdentifier, KeyError):
        return None
    return counting_email(value) if kind == "email" else value

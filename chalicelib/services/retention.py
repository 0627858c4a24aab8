"""Retention: a finished case or booking keeps the citizen's identity for the configured
period (``RETENTION_DAYS``, 400 by default), then the sweeper anonymises it.

The scheduled sweeper (every few minutes in AWS, every round of the local worker) reads the
retention index up to ``now - retention``, so nothing needs a timer of its own and nothing is
lost if a round fails: the next one finds the same items. Each is anonymised as an erasure
would do it, with a history entry naming the retention period and no personal data.
"""

from __future__ import annotations

from chalicelib.domain.erasure import RETENTION
from chalicelib.domain.errors import NotFound, VersionConflict
from chalicelib.observability import count
from chalicelib.services.context import Context
from chalicelib.services.erasure import erase_one

PAGE = 50  # per round; a backlog drains over a few rounds


def sweep_retention(ctx: Context) -> int:
    before = ctx.clock.now() - ctx.retention
    note = f"retention period of {ctx.retention.days} days"
    anonymised = 0
    for kind, ref in ctx.erasures.retained(before, PAGE):
        try:
            entity = ctx.cases.get(ref) if kind == "case" else ctx.bookings.get(ref)
            anonymised += erase_one(ctx, entity, RETENTION, note)
        except (NotFound, VersionConflict):
            continue  # gone, or changed meanwhile: the next round judges it again
    if anonymised:
        count("DealingsAnonymised", anonymised)
    return anonymised

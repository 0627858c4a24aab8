"""Erasure on request: an administrator orders a citizen forgotten; a timer does the work.

The request only records the order and its timer (one transaction, answered 202), because a
citizen may have many cases, bookings and callbacks: far more writes than a request may
make. The timer anonymises every finished one and removes the single view's links to them;
what is still under way (an open case, a confirmed booking, a scheduled callback) is kept and
counted in the order, so the administrator can order again once it is over.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from chalicelib.domain.bookings import Booking
from chalicelib.domain.callbacks import Callback
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import identifiers_of, subject_hash
from chalicelib.domain.directory import Agent
from chalicelib.domain.erasure import (
    ErasureOrder,
    anonymise_booking,
    anonymise_callback,
    anonymise_case,
    is_anonymised,
    require_admin,
)
from chalicelib.domain.errors import NotFound
from chalicelib.domain.local_time import iso, iso_or_none
from chalicelib.observability import count, logger
from chalicelib.ports import Timer
from chalicelib.services.context import Context

ERASURE_TIMER = "citizen-erasure"


def order_erasure(ctx: Context, agent: Agent, kind: str, value: str, reason: str) -> dict:
    require_admin(agent)
    now = ctx.clock.now()
    value = value.strip().lower() if kind == "email" else value.strip()
    subject = subject_hash(kind, value, ctx.pseudonym_key)
    order = ErasureOrder(uuid.uuid4().hex, kind, subject, reason, agent.id, now)
    with ctx.effects.collect():
        ctx.timers.schedule(Timer(ERASURE_TIMER, order.id, now))
        ctx.erasures.order(order)
    logger.info("erasure ordered", extra={"order": order.id, "by": agent.id, "kind": kind})
    return view(order)


def order_of(ctx: Context, agent: Agent, order_id: str) -> dict[str, Any]:
    require_admin(agent)
    order = ctx.erasures.get(order_id)
    if order is None:
        raise NotFound("erasure")
    return view(order)


def view(order: ErasureOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "status": "done" if order.done_at else "accepted",
        "kind": order.kind,
        "by": order.by,
        "at": iso(order.at),
        "done_at": iso_or_none(order.done_at),
        "erased": order.erased,
        "kept": order.kept,
    }


def handle_erasure(ctx: Context, order_id: str) -> str:
    """The order's work; a repeated or late timer finds it done and does nothing."""
    order = ctx.erasures.get(order_id)
    if order is None or order.done_at is not None:
        return "done"
    links = ctx.erasures.links(order.kind, order.subject)
    entities = ctx.citizen_view.entities(links)
    erased = kept = 0
    note = f"erasure order {order.id}"
    for entity in entities.values():
        if is_anonymised(entity):
            continue
        if erase_one(ctx, entity, order.by, note):
            erased += 1
        else:
            kept += 1
    ctx.erasures.finish(replace(order, done_at=ctx.clock.now(), erased=erased, kept=kept))
    count("CitizenDataErased", erased)
    return f"erased {erased}, kept {kept}"


def erase_one(ctx: Context, entity: Any, actor: str, note: str) -> bool:
    """Anonymises one finished dealing and forgets its links; False if still under way."""
    now = ctx.clock.now()
    match entity:
        case Case(is_open=False):
            forgotten = identifiers_of(entity.citizen), entity.reference
            anonymise_case(entity, now, actor, note)
            ctx.cases.save(entity)
        case Booking(is_active=False):
            forgotten = identifiers_of(entity.citizen), entity.code
            anonymise_booking(entity, now, actor, note)
            ctx.bookings.save(entity)
        case Callback(is_open=False):
            forgotten = [("phone", entity.phone)], entity.reference
            anonymise_callback(entity)
            ctx.callbacks.save(entity)
        case _:
            return False
    identifiers, reference = forgotten
    ctx.erasures.forget(identifiers, {reference})
    return True

"""Booking a callback, online or by an agent during a call: choose the window, book it once per
idempotency key (with the linked case, in one transaction), then tell the citizen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from chalicelib.domain.callbacks import Callback, Roster, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound, WindowFull
from chalicelib.domain.kpi_tallies import callback_requested
from chalicelib.domain.local_time import iso
from chalicelib.domain.references import (
    InvalidReference,
    new_reference,
    new_token,
    normalise_reference,
)
from chalicelib.observability import count
from chalicelib.ports import IdempotencyRecord
from chalicelib.ports.callbacks import Change
from chalicelib.services import cases
from chalicelib.services.callback_common import (
    WINDOWS_TO_TRY,
    first_with_room,
    roster_for,
    schedule_window_end,
    serves,
    window_of,
    with_fresh_case,
)
from chalicelib.services.callback_messages import announce
from chalicelib.services.context import Context
from chalicelib.services.retries import Answer, Idempotency, hash_token, write_once

IDEMPOTENCY_SCOPE = "callback"


@dataclass(frozen=True)
class RequestCallback:
    agency: str
    phone: str
    language: str
    window_start: datetime | None = None  # None: the earliest window with room
    case_reference: str | None = None
    topic: str | None = None
    # A citizen links a case by showing its tracking token; agents by serving its agency.
    case_token: str | None = None


def windows(ctx: Context, agency: str, day: date) -> list[tuple[Window, int]]:
    """The day's windows a citizen may still book, each with the places left (0 when full)."""
    roster = roster_for(ctx, agency)
    now = ctx.clock.now()
    horizon = now + ctx.callback_config.policy.horizon
    bookable = [w for w in roster.windows_on(day) if now <= w.start < horizon]
    return _places_left(ctx, roster, bookable)


def request_callback(
    ctx: Context,
    command: RequestCallback,
    *,
    idempotency: Idempotency | None = None,
    booked_by: Agent | None = None,
) -> Answer:
    """Books a callback in a window (or the earliest with room); returns the citizen's receipt
    with the token that lets them see and cancel it."""
    _roster_for_request(ctx, command, booked_by)  # authorised before any replay is answered
    return write_once(
        ctx, IDEMPOTENCY_SCOPE, idempotency, lambda keep: _book(ctx, command, booked_by, keep)
    )


def receipt_of(callback: Callback, token: str) -> Answer:
    return {
        "reference": callback.reference,
        "token": token,
        "status": callback.status.value,
        "agency": callback.agency,
        "window": window_of(callback.window),
        "case_reference": callback.case_reference,
        "created_at": iso(callback.requested_at),
    }


# Turns the receipt into the idempotency record stored with the booking (see write_once).
Keep = Callable[[Answer], IdempotencyRecord | None]


def _book(ctx: Context, command: RequestCallback, booked_by: Agent | None, keep: Keep) -> Answer:
    """Books in the first candidate window with room (the linked case read afresh when it
    changed meanwhile), then wakes the window's end and tells the citizen."""
    roster = _roster_for_request(ctx, command, booked_by)
    now, token = ctx.clock.now(), new_token()

    def book_in(window: Window) -> tuple[Callback, Answer]:
        case = _linked_case(ctx, command, booked_by)
        callback = _new_callback(command, booked_by, window, case, token, now)
        receipt = receipt_of(callback, token)
        # The window's end and the citizen's text are written with the booking, or not at all
        # (a full window is tried again in the next, with a fresh unit of work).
        requested = callback_requested(now, callback.agency, callback.owner.team)
        with ctx.effects.collect():
            schedule_window_end(ctx, window)
            announce(ctx, callback, token)
            change = Change(take_place=roster.capacity(window), case=case, tallies=(requested,))
            ctx.callbacks.add(callback, change, keep(receipt))
        return callback, receipt

    candidates = _windows_to_try(ctx, roster, command.window_start, now)
    booked = first_with_room(candidates, lambda window: with_fresh_case(lambda: book_in(window)))
    if booked is None:
        raise WindowFull("callback")
    count("CallbacksScheduled")
    return booked[1]


def _roster_for_request(ctx: Context, command: RequestCallback, booked_by: Agent | None) -> Roster:
    roster = roster_for(ctx, command.agency)
    if booked_by is not None and not serves(ctx, booked_by, command.agency):
        raise Forbidden("agency")
    if (
        command.topic is not None
        and ctx.directory.agency(command.agency).topic(command.topic) is None
    ):
        raise InvalidInput("topic", "unknown-topic")
    return roster


def _windows_to_try(
    ctx: Context, roster: Roster, start: datetime | None, now: datetime
) -> list[Window]:
    """As soon as possible: the first windows with room. Otherwise the one window asked for."""
    config = ctx.callback_config
    if start is None:
        places = _places_left(ctx, roster, list(config.bookable(roster, now)))
        return list(islice((w for w, left in places if left > 0), WINDOWS_TO_TRY))
    if start < now:
        raise InvalidInput("window_start", "window-past")
    window = roster.window_starting(start)
    if window is None:
        raise InvalidInput("window_start", "not-a-window")
    if window.start >= now + config.policy.horizon:
        raise InvalidInput("window_start", "window-too-far")
    return [window]


def _places_left(ctx: Context, roster: Roster, windows: list[Window]) -> list[tuple[Window, int]]:
    booked = ctx.callbacks.booked(roster.team, windows)
    return [(w, max(0, roster.capacity(w) - booked.get(w.start, 0))) for w in windows]


def _new_callback(
    command: RequestCallback,
    booked_by: Agent | None,
    window: Window,
    case: Case | None,
    token: str,
    now: datetime,
) -> Callback:
    """The callback in its window; a linked case records it (both are stored together)."""
    callback = Callback.book(
        reference=new_reference("CB"),
        token_hash=hash_token(token),
        agency=command.agency,
        phone=command.phone,
        language=command.language,
        channel="phone" if booked_by else "web",
        window=window,
        now=now,
        topic=command.topic,
        case_reference=case.reference if case else None,
        booked_by=booked_by,
    )
    if case is not None:
        case.log(
            now, callback.requested_by, "callback_scheduled", note=callback.reference, public=True
        )
    return callback


def _linked_case(ctx: Context, command: RequestCallback, agent: Agent | None) -> Case | None:
    if command.case_reference is None:
        return None
    try:
        reference = normalise_reference(command.case_reference)
        if agent is None:
            case = cases.track_case(ctx, reference, command.case_token)
        else:
            case = ctx.cases.get(reference)
            if not serves(ctx, agent, case.agency):
                raise NotFound("case")
    except (InvalidReference, NotFound):
        raise InvalidInput("case_reference", "unknown-case") from None
    if case.agency != command.agency:
        raise InvalidInput("case_reference", "case-of-another-agency")
    return case

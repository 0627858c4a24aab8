"""What a citizen hears about their callback: the booked window with a link to manage it, and
a written word when the calls did not reach them. Links point at the public site
(``ctx.public_url``): a message sent from a timer or a test has no request to ask."""

from __future__ import annotations

from chalicelib.domain.callbacks import Callback, Status, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.local_time import shown, shown_time
from chalicelib.messages import render
from chalicelib.services.context import Context


def announce(ctx: Context, callback: Callback, token: str) -> None:
    """The text after booking: when we will call, and the link to see or cancel it."""
    manage_url = (
        f"{ctx.public_url}/{callback.language}/callback/status/"
        f"#ref={callback.reference}&token={token}"
    )
    _send(
        ctx,
        callback,
        "callback_scheduled",
        phone=callback.phone,
        window=_span(callback.window),
        manage_url=manage_url,
    )


def tell_citizen(ctx: Context, callback: Callback, case: Case | None) -> None:
    """After the last try, the citizen hears from us in writing instead."""
    if callback.status == Status.UNREACHABLE:
        template, phone = "callback_unreachable", callback.phone
    elif callback.status == Status.WRONG_NUMBER:
        # The number is not theirs: only a linked case's e-mail can reach them.
        template, phone = "callback_wrong_number", None
    else:
        return
    email = case.citizen.email if case is not None else None
    if not (phone or email):
        return
    _send(
        ctx,
        callback,
        template,
        phone=phone,
        email=email,
        case_reference=callback.case_reference or "",
        attempts=len(callback.attempts),
    )


def tell_missed(ctx: Context, callback: Callback) -> None:
    """Nobody called in the window: an apology and a link to choose another window."""
    _send(
        ctx,
        callback,
        "callback_missed",
        phone=callback.phone,
        window=_span(callback.window),
        request_url=f"{ctx.public_url}/{callback.language}/callback/",
    )


def _send(ctx: Context, callback: Callback, template: str, **fields: object) -> None:
    """Every callback message names the callback and the agency, in the citizen's language."""
    agency = ctx.directory.agency(callback.agency).name.in_(callback.language)
    message = render(
        template, callback.language, reference=callback.reference, agency=agency, **fields
    )
    ctx.notifier.send(message)


def _span(window: Window) -> str:
    return f"{shown(window.start)}-{shown_time(window.end)}"

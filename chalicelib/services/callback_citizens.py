"""A citizen's own callbacks: seen and cancelled with the token they were given, or listed
under their case with the case's tracking token."""

from __future__ import annotations

from chalicelib.domain.callbacks import CITIZEN, Callback
from chalicelib.ports.callbacks import Change
from chalicelib.services import cases
from chalicelib.services.callback_common import case_of, with_fresh_case
from chalicelib.services.context import Context
from chalicelib.services.retries import tracked


def track(ctx: Context, reference: str, token: str | None) -> Callback:
    """The citizen's own callback; a wrong token looks exactly like an unknown reference."""
    return tracked(ctx.callbacks.get, reference, token, "callback")


def cancel(ctx: Context, reference: str, token: str | None) -> Callback:
    """Closes a waiting callback; the linked case records it in the same step."""
    return with_fresh_case(lambda: _cancel(ctx, reference, token))


def _cancel(ctx: Context, reference: str, token: str | None) -> Callback:
    callback = track(ctx, reference, token)
    case = case_of(ctx, callback)
    now = ctx.clock.now()
    callback.cancel(now)
    if case is not None:
        case.log(now, CITIZEN, "callback_cancelled", note=callback.reference, public=True)
    # A place in a window that has not begun goes back to other citizens.
    change = Change(release_place=callback.window.start > now, unlock=True, case=case)
    ctx.callbacks.save(callback, change)
    return callback


def case_callbacks(ctx: Context, reference: str, token: str | None) -> list[Callback]:
    """The callbacks linked to a citizen's case, for whoever holds the case's tracking token."""
    case = cases.track_case(ctx, reference, token)
    return ctx.callbacks.of_case(case.reference)

"""What the callback use cases share: the team that calls back, who may see what, the linked
case, window searches and the one wake-up per window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from chalicelib.domain.callbacks import Callback, Roster, Window
from chalicelib.domain.cases import Case
from chalicelib.domain.citizen_view import agencies_served, may_see
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import InvalidInput, LinkedCaseChanged, VersionConflict, WindowFull
from chalicelib.domain.local_time import iso
from chalicelib.ports import Timer
from chalicelib.services.conflicts import retry_on_conflict
from chalicelib.services.context import Context

T = TypeVar("T")

WINDOW_END_TIMER = "callback-window-end"
CLAIM_EXPIRY_TIMER = "callback-claim-expiry"
# How long a claimed callback stays with an agent who records no outcome: longer than a window
# (a call may run on), short enough that an abandoned claim is seen the same hour.
CLAIM_HOLD = timedelta(minutes=45)
# How many windows "as soon as possible" or a retry tries before giving up.
WINDOWS_TO_TRY = 48
# A linked case may change under a callback step; the step is decided again this often.
CASE_RETRIES = 3


def roster_for(ctx: Context, agency: str) -> Roster:
    """The roster of the team that calls back for a known agency (InvalidInput otherwise)."""
    if agency not in ctx.directory.agencies:
        raise InvalidInput("agency", "unknown-agency")
    roster = ctx.callback_config.roster_for(agency)
    if roster is None:
        raise InvalidInput("agency", "no-callbacks")
    return roster


def serves(ctx: Context, agent: Agent, agency: str) -> bool:
    return may_see(agencies_served(ctx.directory, agent), agency)


def case_of(ctx: Context, callback: Callback) -> Case | None:
    if callback.case_reference is None:
        return None
    return ctx.cases.get(callback.case_reference)


def with_fresh_case(step: Callable[[], T]) -> T:
    """Runs a callback step that reads (and may write) a linked case; when the case changed
    meanwhile, the step is decided again. Giving up is a conflict on the case (409)."""
    try:
        return retry_on_conflict(step, attempts=CASE_RETRIES, conflict=LinkedCaseChanged)
    except LinkedCaseChanged:
        raise VersionConflict("case") from None


def first_with_room(windows: Iterable[Window], take: Callable[[Window], T]) -> T | None:
    """What ``take`` gives in the first window where it finds a place; None when all are full."""
    for window in windows:
        try:
            return take(window)
        except WindowFull:
            continue
    return None


def schedule_window_end(ctx: Context, window: Window) -> None:
    # One wake-up per window; the handler finds the callbacks through their index.
    ctx.timers.schedule(Timer(WINDOW_END_TIMER, f"{window.team}#{iso(window.start)}", window.end))


def window_of(window: Window) -> dict[str, str]:
    return {"start": iso(window.start), "end": iso(window.end)}

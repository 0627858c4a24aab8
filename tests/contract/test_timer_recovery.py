"""Every kind of timer is recoverable by the sweeper alone: when a timer is lost (its message
dropped, or its item never written because the process died between the change and the
timer), the scheduled sweep still does the work it stood for, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import TODAY, agent, at
from test_callbacks import CONFIG, book, stored

from chalicelib.domain.callbacks import Status
from chalicelib.services import callbacks as service
from chalicelib.services import timers

LATER = timedelta(days=400)


@pytest.fixture
def cb(ctx):
    ctx.callback_config = CONFIG
    return ctx


def lose_every_timer(ctx) -> int:
    """Deletes every timer item of the index, as if each message and its record were lost."""
    lost = ctx.timers.due(ctx.clock.now() + LATER, 1000)
    for timer in lost:
        ctx.timers.done(timer)
    return len(lost)


def test_a_claim_whose_expiry_timer_was_lost_goes_back_to_the_team_by_the_sweep(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))
    assert lose_every_timer(cb) >= 1

    clock.advance(service.CLAIM_HOLD - timedelta(seconds=1))
    timers.sweep(cb)
    still_marias = stored(cb, ref)
    clock.advance(timedelta(seconds=1))
    timers.sweep(cb)
    timers.sweep(cb)
    released = stored(cb, ref)

    assert still_marias.status == Status.CLAIMED and still_marias.owner.agent == "maria"
    assert released.owner.agent is None and released.status != Status.CLAIMED
    assert [e.action for e in released.history].count("claim_expired") == 1


def test_a_claim_is_released_once_when_both_its_timer_and_the_sweep_come(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))
    clock.advance(service.CLAIM_HOLD)

    timers.sweep(cb)
    for timer in cb.timers.due(clock.now(), 100):
        timers.fire(cb, timer)
    timers.sweep(cb)

    assert [e.action for e in stored(cb, ref).history].count("claim_expired") == 1

"""Use cases of callbacks, one module each (this one gathers their names for callers):

- callback_requests: windows with places left, booking online or during a call
- callback_citizens: the citizen's own callback, cancelling it, a case's callbacks
- callback_calls: what agents do: their callbacks, claim-next, the outcome of a call
- callback_timers: windows that end unclaimed, stale claims, what supervisors see
"""

from __future__ import annotations

from chalicelib.services.callback_calls import (
    RecordOutcome,
    agent_callback,
    claim_next,
    my_callbacks,
    record_outcome,
)
from chalicelib.services.callback_citizens import cancel, case_callbacks, track
from chalicelib.services.callback_common import (
    CLAIM_EXPIRY_TIMER,
    CLAIM_HOLD,
    WINDOW_END_TIMER,
    window_of,
)
from chalicelib.services.callback_requests import (
    RequestCallback,
    receipt_of,
    request_callback,
    windows,
)
from chalicelib.services.callback_timers import (
    handle_claim_expiry,
    handle_window_end,
    missed,
    sweep_missed,
    sweep_stale_claims,
)

__all__ = [
    "CLAIM_EXPIRY_TIMER",
    "CLAIM_HOLD",
    "WINDOW_END_TIMER",
    "RecordOutcome",
    "RequestCallback",
    "agent_callback",
    "cancel",
    "case_callbacks",
    "claim_next",
    "handle_claim_expiry",
    "handle_window_end",
    "missed",
    "my_callbacks",
    "receipt_of",
    "record_outcome",
    "request_callback",
    "sweep_missed",
    "sweep_stale_claims",
    "track",
    "window_of",
    "windows",
]

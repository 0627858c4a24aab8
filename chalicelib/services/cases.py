"""Use cases of case intake, in one import: what citizens do (``case_intake``), what agents do
(``case_work``, ``case_actions``) and what deadlines do (``case_deadlines``)."""

from chalicelib.domain.cases import CITIZEN, Case, Channel, Citizen, Status
from chalicelib.domain.errors import InvalidTransition, NotYetDue, TooSoon
from chalicelib.services.case_actions import ACTIONS, AGENT_ACTIONS, command_for
from chalicelib.services.case_deadlines import DEADLINE_TIMER, handle_deadline, sweep
from chalicelib.services.case_intake import (
    IDEMPOTENCY_SCOPE,
    SubmitCase,
    chase,
    citizen_reopen,
    citizen_reply,
    receipt_of,
    submit_case,
    track_case,
)
from chalicelib.services.case_work import (
    act,
    after_save,
    agent_case,
    allowed_actions,
    breaches,
    decide,
    perform,
    queue,
    reassign_teams,
)

__all__ = [
    "ACTIONS",
    "AGENT_ACTIONS",
    "CITIZEN",
    "DEADLINE_TIMER",
    "IDEMPOTENCY_SCOPE",
    "Case",
    "Channel",
    "Citizen",
    "InvalidTransition",
    "NotYetDue",
    "Status",
    "SubmitCase",
    "TooSoon",
    "act",
    "after_save",
    "agent_case",
    "allowed_actions",
    "breaches",
    "chase",
    "citizen_reopen",
    "citizen_reply",
    "command_for",
    "decide",
    "handle_deadline",
    "perform",
    "queue",
    "reassign_teams",
    "receipt_of",
    "submit_case",
    "sweep",
    "track_case",
]

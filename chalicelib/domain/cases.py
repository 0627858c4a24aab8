"""A citizen's case: the aggregate and the values it is made of, in one import.

The aggregate and its rules are in ``case_aggregate``, what it holds and its history in
``case_record``, its deadlines in ``case_clocks``, the small values in ``case_values``.
"""

from chalicelib.domain.case_aggregate import Case
from chalicelib.domain.case_clocks import Clocks
from chalicelib.domain.case_values import (
    CITIZEN,
    OPEN,
    SYSTEM,
    UNCLAIMED,
    CaseRequest,
    Channel,
    Citizen,
    Event,
    Owner,
    RouteFn,
    Status,
)

__all__ = [
    "CITIZEN",
    "OPEN",
    "SYSTEM",
    "UNCLAIMED",
    "Case",
    "CaseRequest",
    "Channel",
    "Citizen",
    "Clocks",
    "Event",
    "Owner",
    "RouteFn",
    "Status",
]

"""Erlang C: how many agents a queue of calls needs to answer most of them quickly.

Pure functions of the offered traffic (arrivals x handling time, in Erlangs). The Erlang B
recursion keeps them exact and stable for hundreds of agents without large factorials.
"""

from __future__ import annotations

import math


def erlang_b(traffic: float, agents: int) -> float:
    """The probability that every one of ``agents`` is busy, for a loss system."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that a call waits (``traffic`` Erlangs, ``agents`` servers); 1 when the
    agents cannot keep up at all (traffic >= agents)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(traffic, agents)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(
    traffic: float, agents: int, handle_seconds: float, target_seconds: float
) -> float:
    """The share of calls answered within ``target_seconds``."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waits = erlang_c(traffic, agents)
    return 1 - waits * math.exp(-(agents - traffic) * target_seconds / handle_seconds)


def average_wait(traffic: float, agents: int, handle_seconds: float) -> float:
    """The mean wait in seconds over all calls (answered at once or not)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(traffic, agents) * handle_seconds / (agents - traffic)


def agents_needed(
    calls_per_hour: float,
    handle_seconds: float,
    target_seconds: float = 20,
    target_level: float = 0.8,
) -> int:
    """The fewest agents that answer ``target_level`` of the calls within ``target_seconds``."""
    traffic = calls_per_hour * handle_seconds / 3600
    if traffic <= 0:
        return 0
    agents = max(1, math.floor(traffic) + 1)
    while service_level(traffic, agents, handle_seconds, target_seconds) < target_level:
        agents += 1
    return agents

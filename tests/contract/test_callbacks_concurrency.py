"""Callbacks under concurrency, over both stores: the store, not Python, keeps every rule."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from support import TODAY, TOMORROW, at, one_callback_team, phone

from chalicelib.adapters.case_items import sortable
from chalicelib.adapters.table import Key
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.errors import CallbackExists, NoCallbackDue, WindowFull
from chalicelib.services import callbacks as service


def book(ctx, start, number):
    command = service.RequestCallback("efka", number, "el", start)
    return service.request_callback(ctx, command)


def try_to_book(ctx, start, number):
    try:
        return book(ctx, start, number)["reference"]
    except (WindowFull, CallbackExists) as refused:
        return type(refused).__name__


def test_many_agents_claiming_at_once_get_each_callback_exactly_once(ctx, clock):
    one_callback_team(ctx, places=3)
    booked = {
        book(ctx, at(TODAY, 9) + timedelta(minutes=30 * (n // 3)), phone(n))["reference"]
        for n in range(18)
    }
    clock.advance(timedelta(hours=4))
    agents = [
        Agent(f"agent-{n}", f"Agent {n}", frozenset({Role.AGENT}), frozenset({"first-line"}))
        for n in range(8)
    ]

    def claim_all(agent: Agent) -> list[tuple[str, str]]:
        mine = []
        while True:
            try:
                mine.append((service.claim_next(ctx, agent).reference, agent.id))
            except NoCallbackDue:
                return mine

    with ThreadPoolExecutor(len(agents)) as pool:
        claims = [claim for batch in pool.map(claim_all, agents) for claim in batch]

    assert len(claims) == len(booked)
    assert {ref for ref, _ in claims} == booked
    for ref, agent_id in claims:
        assert ctx.callbacks.get(ref).owner.agent == agent_id


def test_a_window_never_takes_more_bookings_than_its_capacity(ctx, table):
    one_callback_team(ctx, places=5)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda n: try_to_book(ctx, at(TOMORROW, 10), phone(n)), range(12)))

    outcomes = Counter("booked" if r.startswith("CB-") else r for r in results)
    assert outcomes == {"booked": 5, "WindowFull": 7}
    counter = table.get(Key("CBWIN#first-line", sortable(at(TOMORROW, 10))))
    assert counter["booked"] == 5
    assert (
        dict((w.start, r) for w, r in service.windows(ctx, "efka", TOMORROW))[at(TOMORROW, 10)] == 0
    )


def test_one_phone_racing_for_many_windows_gets_one_open_callback(ctx):
    attempts = 6
    one_callback_team(ctx, places=5)
    starts = [at(TOMORROW, 9) + timedelta(minutes=30 * n) for n in range(attempts)]

    with ThreadPoolExecutor(attempts) as pool:
        results = list(pool.map(lambda s: try_to_book(ctx, s, phone(1)), starts))

    assert Counter("booked" if r.startswith("CB-") else r for r in results) == {
        "booked": 1,
        "CallbackExists": attempts - 1,
    }
    taken = [r for _, r in service.windows(ctx, "efka", TOMORROW) if r < 5]
    assert len(taken) == 1

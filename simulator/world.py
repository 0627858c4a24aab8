"""The platform the day runs against: the real context (bootstrap.build) over a fresh SQLite
file, local timers, the outbox and a frozen clock, with the day's agents in the directory."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path

from chalicelib import bootstrap
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.adapters.sqlite.table import SqliteTable
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.directory_data import load_directory
from chalicelib.domain.callbacks import Roster
from chalicelib.domain.directory import Agent, Role
from chalicelib.domain.limits import Limits
from chalicelib.services.context import Context
from simulator.plan import CHANNELS, TIERS, Plan, desk_size, phone_roster

CALLS_PER_WINDOW = 5  # a callback agent's calls in a 30-minute window
CALLBACK_HOURS = (time(8), time(20))


@dataclass
class Worker:
    """An agent on a shift, and when they are next free."""

    agent: Agent
    start: datetime
    end: datetime
    free_at: datetime

    def on_shift(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass
class World:
    ctx: Context
    clock: MovableClock
    timers: TableTimers
    outbox: OutboxNotifier  # where the messages wait (the simulation reads survey links there)
    phone: list[Worker]
    web: list[Worker]
    callback: list[Worker]
    support: dict[str, list[Worker]]  # tier-2 and tier-3 teams
    desks: dict[str, Agent]  # branch -> its desk agent


def _workers(
    plan: Plan,
    prefix: str,
    team: str,
    shifts: list[tuple[int, int, int]],
    served: dict[str, frozenset[str]],
) -> list[Worker]:
    """Agents of ``team`` for shifts given as (start hour, end hour, agents)."""
    workers = []
    for start, end, count in shifts:
        for _ in range(count):
            agent = Agent(
                f"{prefix}-{len(workers) + 1:03d}",
                prefix,
                frozenset({Role.AGENT}),
                frozenset({team}),
                agencies=served[team],
            )
            begin = plan.at_hour(start)
            workers.append(Worker(agent, begin, plan.at_hour(end), begin))
    return workers


def _staff(
    plan: Plan, ctx: Context
) -> tuple[list[Worker], list[Worker], list[Worker], dict[str, list[Worker]]]:
    # The agencies each team serves, as the API scopes a signed-in agent (Directory.scoped).
    served = {t.id: frozenset(t.agencies) for t in ctx.directory.teams.values()}
    phone = _workers(
        plan, "phone", "first-line", [(h, min(24, h + 8), n) for h, n in phone_roster(plan)], served
    )
    web_work = plan.contacts * CHANNELS["web"] * plan.web_minutes
    web_shift = desk_size(web_work / 2, 8)
    # The written desk opens at nine: the night's web cases wait, and the oldest pass their
    # eight-hour first-line deadline before anyone reads them (the timer escalates them).
    web = _workers(plan, "web", "first-line", [(9, 17, web_shift), (14, 22, web_shift)], served)
    callbacks = desk_size(plan.contacts * CHANNELS["callback"] * 1.4 * 6, 12)
    callback = _workers(plan, "callback", "first-line", [(8, 20, callbacks)], served)
    support: dict[str, list[Worker]] = {}
    escalated = plan.contacts * (1 - CHANNELS["callback"] - CHANNELS["booking"]) * (1 - TIERS[0])
    for team in ctx.directory.teams.values():
        if team.tier == 1:
            continue
        share = 0.45 if team.agencies & {"efka"} else 0.2  # e-EFKA carries most of the load
        minutes = plan.tier2_minutes if team.tier == 2 else plan.tier3_minutes
        work = escalated * share * minutes * (1 if team.tier == 2 else TIERS[2] / (1 - TIERS[0]))
        support[team.id] = _workers(plan, team.id, team.id, [(8, 16, desk_size(work, 8))], served)
    return phone, web, callback, support


def build_world(plan: Plan, folder: Path) -> World:
    path = folder / "day.db"
    for stale in folder.glob("day.db*"):
        stale.unlink()
    table = SqliteTable(path)
    # The evening before: today's visits are booked then.
    clock = MovableClock(plan.start() - timedelta(hours=12), frozen=True)
    timers = TableTimers(table)
    outbox = OutboxNotifier(table, clock.now)
    # A day of many citizens from one process: the abuse limits would count them as one.
    settings = Settings(limits=Limits(writes_per_address=10**9, writes_per_identifier=10**9))
    ctx = bootstrap.build(settings, clock=clock, table=table, timers=timers, notifier=outbox)
    phone, web, callback, support = _staff(plan, ctx)
    roster = Roster(
        "first-line",
        frozenset({"*"}),
        {d: (CALLBACK_HOURS,) for d in range(6)},
        calls_per_agent=CALLS_PER_WINDOW,
        agents=len(callback),
    )
    ctx.callback_config = replace(ctx.callback_config, rosters=(roster,))
    desks = {
        b: Agent(f"desk-{b}", "desk", frozenset({Role.AGENT}), frozenset(), frozenset({b}))
        for b in ctx.catalogue.branches
    }
    everyone = [w.agent for w in phone + web + callback] + [
        w.agent for team in support.values() for w in team
    ]
    ctx.directory = replace(
        load_directory(), agents={a.id: a for a in [*everyone, *desks.values()]}
    )
    return World(ctx, clock, timers, outbox, phone, web, callback, support, desks)


def citizen_phone(serial: int) -> str:
    return f"+3069{serial:08d}"


def shuffled(rng: random.Random, items: list) -> list:
    copy = list(items)
    rng.shuffle(copy)
    return copy

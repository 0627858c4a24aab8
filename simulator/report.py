"""The end of the day in words, a staffing table and a plot.

``report_lines`` takes the observed figures; once the product's KPI service exists it can be
fed from it instead (the same names: opened, resolved by tier, shares, SLA, callbacks,
appointments), and the simulation becomes a check that both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chalicelib.domain.kpis import flat
from chalicelib.services.context import Context
from chalicelib.services.kpi_report import figures_of
from simulator.erlang import agents_needed, service_level
from simulator.figures import Observed


@dataclass(frozen=True)
class StaffingRow:
    hour: int
    calls: int
    handle_seconds: float
    needed: int  # Erlang C, for the target answer time
    staffed: int  # agents the simulated roster put on the phones
    level_staffed: float  # Erlang C's answer level with the staffed agents
    level_seen: float  # what the simulation measured


def staffing_table(seen: Observed) -> list[StaffingRow]:
    plan = seen.plan
    rows = []
    for hour in range(24):
        offered = seen.calls_answered[hour] + seen.calls_abandoned[hour]
        answered = seen.calls_answered[hour]
        handle = seen.handle_seconds[hour] / answered if answered else plan.phone_minutes * 60
        needed = agents_needed(offered, handle, plan.target_seconds, plan.target_level)
        staffed = seen.agents_on_phones[hour]
        traffic = offered * handle / 3600
        level = service_level(traffic, staffed, handle, plan.target_seconds) if offered else 1.0
        measured = seen.calls_in_target[hour] / offered if offered else 1.0
        rows.append(StaffingRow(hour, offered, handle, needed, staffed, level, measured))
    return rows


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    –  "


def report_lines(seen: Observed, staffing: list[StaffingRow]) -> list[str]:
    plan, cases = seen.plan, sum(seen.opened.values())
    ended = {tier: seen.ended_at_tier(tier) for tier in (1, 2, 3)}
    calls = sum(seen.calls_answered) + sum(seen.calls_abandoned)
    answered = sum(seen.calls_answered)
    lines = [
        f"A day of 1555 on {plan.day} (seed {plan.seed}): {seen.contacts:,} contacts"
        f" in {seen.seconds:.0f} s ({seen.contacts / max(seen.seconds, 1e-9):.0f} contacts/s)",
        "",
        "Contacts by channel: " + ", ".join(f"{c} {sum(h):,}" for c, h in seen.arrivals.items()),
        f"Calls: {calls:,} offered, {answered:,} answered ({_share(answered, calls)}),"
        f" {_share(sum(seen.calls_in_target), calls)} within {plan.target_seconds} s,"
        f" mean wait {sum(seen.wait_seconds) / max(answered, 1):.0f} s",
        "",
        f"Cases opened: {cases:,} ("
        + ", ".join(f"{c} {n:,}" for c, n in sorted(seen.opened.items()))
        + f"); resolved {seen.resolved:,}; open at the end {sum(seen.open_by_tier.values()):,}",
        "Where cases ended (answered or waiting), against 84.4 / 12.8 / 2.8 %:",
    ]
    for tier in (1, 2, 3):
        lines.append(
            f"  tier {tier}: {_share(ended[tier], cases)}"
            f"  resolved {seen.resolved_by_tier[tier]:,}, waiting {seen.open_by_tier[tier]:,}"
        )
    lines += [
        f"First-contact resolution: {_share(seen.resolved_first_contact, cases)}",
        "Resolved within target (never escalated by a deadline):"
        f" {_share(seen.resolved_in_target, seen.resolved)}",
        f"Escalations: by hand {seen.escalated['manual']:,},"
        f" by deadline {seen.escalated['deadline']:,}",
        f"Timers fired: {seen.timers_fired:,}",
        "",
        _callbacks(seen),
        _appointments(seen),
        _satisfaction(seen),
        "",
        f"Staffing the phones for {plan.target_level:.0%} answered in {plan.target_seconds} s"
        " (Erlang C from the simulated calls and handling times):",
        " hour  calls  AHT s  needed  staffed  Erlang level  measured",
    ]
    lines += [
        f"  {r.hour:02d}  {r.calls:6,}  {r.handle_seconds:5.0f}  {r.needed:6}  {r.staffed:7}"
        f"  {r.level_staffed:11.1%}  {r.level_seen:8.1%}"
        for r in staffing
    ]
    return lines


def _callbacks(seen: Observed) -> str:
    c = seen.callbacks
    return (
        f"Callbacks: {c['requested']:,} requested ({c['refused']:,} found no window);"
        f" reached {c['reached']:,} ({c['reached_first_try']:,} at the first try),"
        f" unreachable {c['unreachable']:,}, missed windows {c['missed']:,},"
        f" still scheduled {c['scheduled'] + c['claimed']:,}; calls with no answer"
        f" {c['call_no_answer'] + c['call_busy']:,}"
    )


def _satisfaction(seen: Observed) -> str:
    answers = sum(seen.satisfaction.values())
    average = sum(s * n for s, n in seen.satisfaction.items()) / answers if answers else 0.0
    spread = " ".join(f"{s}:{seen.satisfaction[s]:,}" for s in range(1, 6))
    return (
        f"Surveys: {seen.surveys_offered:,} offered (answered cases, served visits),"
        f" {answers:,} answered ({_share(answers, seen.surveys_offered).strip()}),"
        f" average {average:.2f}; scores {spread}"
    )


def _appointments(seen: Observed) -> str:
    a = seen.appointments
    return (
        f"Appointments today: {a['visits_today']:,} booked, {a['served']:,} served,"
        f" {a['no_show']:,} no-shows, {a['cancelled']:,} cancelled;"
        f" booked today for later days {a['booked_ahead']:,}"
        f" ({a['cancelled_ahead']:,} cancelled again)"
    )


def plot(seen: Observed, path: Path) -> None:
    """Arrivals per hour by channel, the backlog and the SLA through the day."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (top, middle, bottom) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
    bottoms = [0] * 24
    hatches = {"phone": "", "web": "//", "callback": "..", "booking": "xx"}
    for channel, hours in seen.arrivals.items():
        top.bar(
            [h + 0.5 for h in range(24)], hours, 1.0, bottom=bottoms, label=channel,
            hatch=hatches.get(channel, ""), edgecolor="black", linewidth=0.4,
        )  # fmt: skip
        bottoms = [b + n for b, n in zip(bottoms, hours, strict=True)]
    top.set_ylabel("contacts per hour")
    top.legend(loc="upper right")
    hours = [s.hour for s in seen.samples]
    middle.plot(hours, [s.backlog for s in seen.samples], color="black")
    middle.set_ylabel("open cases (backlog)")
    bottom.plot(
        hours, [100 * s.sla for s in seen.samples], color="black", label="resolved in target"
    )
    offered = [seen.calls_answered[h] + seen.calls_abandoned[h] for h in range(24)]
    # An hour without calls has no answer level (a gap in the line, not a 0 %).
    staffing = [100 * seen.calls_in_target[h] / n if n else math.nan for h, n in enumerate(offered)]
    bottom.step(range(25), staffing + staffing[-1:], where="post", linestyle="--", color="grey",
                label=f"calls answered in {seen.plan.target_seconds} s")  # fmt: skip
    bottom.set_ylabel("%")
    bottom.set_ylim(0, 105)
    bottom.set_xlabel("hour of the day (Athens)")
    bottom.set_xlim(0, 24)
    bottom.legend(loc="lower right")
    figure.suptitle(f"A day of 1555: {seen.contacts:,} contacts (seed {seen.plan.seed})")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def product_figures(ctx: Context, day: date) -> list[str]:
    """The same day as the product's own counters report it (``GET /api/v1/supervisor/kpis``,
    every agency): set beside what the simulator saw, the two should tell one story."""
    figures = figures_of(ctx, set(ctx.directory.agencies), None, day, day)
    lines = ["", "The product's KPIs for the day (GET /api/v1/supervisor/kpis, all agencies):"]
    for name, value in flat(figures):
        shown = "-" if value is None else f"{value:.3f}" if isinstance(value, float) else value
        lines.append(f"  {name}: {shown}")
    return lines

"""The service-quality figures: pure formulas over summed counters (see ``kpi_tallies``).

Definitions (also in docs/architecture.md):
- tier_share: resolutions at each tier over all resolutions (to set beside 84.4/12.8/2.8 %).
- first_contact_resolution: resolved at tier 1 without escalation, transfer, question to the
  citizen or reopening, over all resolutions.
- sla_first_response: first responses (an answer or a question) in time over those decided
  (in time + missed).
- sla_resolution: resolutions within the tier's target over the targets decided in the period
  (resolutions + escalations on deadline + breaches).
- median/p90 hours to resolve: from a histogram of resolve times (created to resolved, wall
  clock) in fixed buckets, interpolated linearly inside the bucket holding the quantile.
- utilisation: places held on the period's days (booked and still confirmed, served or missed)
  over the capacity offered on those days by the branches' configuration.
Shares and rates are fractions 0..1, or None when nothing was decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chalicelib.domain.kpi_tallies import HOUR_BUCKETS

Counts = Mapping[str, int]


def summed(rows: Iterable[Counts]) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for name, value in row.items():
            total[name] = total.get(name, 0) + int(value)
    return total


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def hours_quantile(counts: Counts, q: float) -> float | None:
    """The q-quantile of resolve times from the histogram counters h0..hN."""
    histogram = [int(counts.get(f"h{i}", 0)) for i in range(len(HOUR_BUCKETS) + 1)]
    total = sum(histogram)
    if not total:
        return None
    rank, seen = q * total, 0
    for index, n in enumerate(histogram):
        if n and seen + n >= rank:
            low = HOUR_BUCKETS[index - 1] if index else 0.0
            high = HOUR_BUCKETS[index] if index < len(HOUR_BUCKETS) else HOUR_BUCKETS[-1]
            return round(low + (high - low) * (rank - seen) / n, 1)
        seen += n
    return float(HOUR_BUCKETS[-1])


def case_figures(c: Counts, backlog: int) -> dict[str, object]:
    resolved = c.get("resolved", 0)
    by_tier = {t: c.get(f"resolved_t{t}", 0) for t in ("1", "2", "3")}
    fr_decided = c.get("fr_met", 0) + c.get("fr_missed", 0)
    res_decided = resolved + c.get("esc_deadline", 0) + c.get("breached", 0)
    return {
        "opened": c.get("opened", 0),
        "resolved": resolved,
        "resolved_by_tier": by_tier,
        "tier_share": {t: ratio(n, resolved) for t, n in by_tier.items()},
        "first_contact_resolution": ratio(c.get("fcr", 0), resolved),
        "sla_first_response": ratio(c.get("fr_met", 0), fr_decided),
        "sla_resolution": ratio(c.get("res_in_time", 0), res_decided),
        "median_hours_to_resolve": hours_quantile(c, 0.5),
        "p90_hours_to_resolve": hours_quantile(c, 0.9),
        "backlog": backlog,
        "escalations": {"deadline": c.get("esc_deadline", 0), "manual": c.get("esc_manual", 0)},
        "breached": c.get("breached", 0),
    }


def callback_figures(c: Counts) -> dict[str, object]:
    return {
        "requested": c.get("cb_requested", 0),
        "reached": c.get("cb_reached", 0),
        "reached_first_try": c.get("cb_first_try", 0),
        "unreachable": c.get("cb_unreachable", 0),
        "missed_windows": c.get("cb_missed", 0),
    }


def appointment_figures(c: Counts, capacity: int) -> dict[str, object]:
    return {
        "booked": c.get("ap_booked", 0),
        "served": c.get("ap_served", 0),
        "no_show": c.get("ap_no_show", 0),
        "cancelled": c.get("ap_cancelled", 0),
        "utilisation": ratio(max(c.get("ap_held", 0), 0), capacity),
    }


def satisfaction_figures(c: Counts) -> dict[str, object]:
    n = c.get("sv_n", 0)
    return {
        "responses": n,
        "average": round(c.get("sv_sum", 0) / n, 2) if n else None,
        "distribution": {str(s): c.get(f"sv_{s}", 0) for s in range(1, 6)},
    }


def figures(c: Counts, backlog: int, capacity: int) -> dict[str, object]:
    """Every figure of the contract's ``GET /supervisor/kpis`` (without the period)."""
    return {
        "cases": case_figures(c, backlog),
        "callbacks": callback_figures(c),
        "appointments": appointment_figures(c, capacity),
        "satisfaction": satisfaction_figures(c),
    }


def flat(figures_: Mapping[str, object], prefix: str = "") -> list[tuple[str, object]]:
    """The figures as (dotted name, value) rows, for CSV."""
    rows: list[tuple[str, object]] = []
    for name, value in figures_.items():
        if isinstance(value, Mapping):
            rows.extend(flat(value, f"{prefix}{name}."))
        else:
            rows.append((f"{prefix}{name}", value))
    return rows

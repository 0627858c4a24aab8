"""A tiny simulated day runs against the real services and reports what it saw."""

from __future__ import annotations

from simulator.__main__ import simulate
from simulator.plan import Plan


def test_a_small_day_writes_its_report_and_plot_with_plausible_tier_shares(tmp_path):
    plan = Plan(contacts=300, seed=11)

    result = simulate(plan, tmp_path)

    seen = result.seen
    report = result.report.read_text("utf-8")
    assert result.png.read_bytes().startswith(b"\x89PNG")
    assert "Staffing the phones" in report and "tier 3" in report
    assert seen.contacts == 300
    cases = sum(seen.opened.values())
    assert cases > 200  # phone and web contacts become cases
    first, second, third = (seen.ended_at_tier(t) / cases for t in (1, 2, 3))
    assert 0.75 < first < 0.93 and 0.05 < second < 0.22 and third < 0.08
    assert first + second + third == 1
    assert seen.appointments["served"] > 0 and seen.callbacks["requested"] > 0
    assert 0 < sum(seen.satisfaction.values()) < seen.surveys_offered


def test_the_same_seed_gives_the_same_day(tmp_path):
    plan = Plan(contacts=120, seed=5)

    first = simulate(plan, tmp_path / "a").seen
    second = simulate(plan, tmp_path / "b").seen

    assert first.arrivals == second.arrivals
    assert first.resolved_by_tier == second.resolved_by_tier
    assert first.calls_in_target == second.calls_in_target
    assert first.callbacks == second.callbacks and first.appointments == second.appointments
    assert first.satisfaction == second.satisfaction

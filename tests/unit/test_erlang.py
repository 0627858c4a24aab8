"""Erlang C against published values: the standard Erlang B table and the classic worked
example of a contact centre (100 calls in 30 minutes, 180 s each: 10 Erlangs, 80 % in 20 s)."""

from __future__ import annotations

import pytest

from simulator.erlang import agents_needed, average_wait, erlang_b, erlang_c, service_level


def test_erlang_b_matches_the_tables():
    assert erlang_b(10, 10) == pytest.approx(0.2146, abs=1e-4)
    assert erlang_b(2, 5) == pytest.approx(0.0367, abs=1e-4)


@pytest.mark.parametrize(
    ("agents", "waits", "level", "mean_wait"),
    [
        (11, 0.682, 0.390, 122.8),
        (12, 0.449, 0.640, 40.4),
        (13, 0.285, 0.796, 17.1),
        (14, 0.174, 0.888, 7.8),
    ],
)
def test_erlang_c_matches_the_worked_example(agents, waits, level, mean_wait):
    assert erlang_c(10, agents) == pytest.approx(waits, abs=1e-3)
    assert service_level(10, agents, 180, 20) == pytest.approx(level, abs=1e-3)
    assert average_wait(10, agents, 180) == pytest.approx(mean_wait, abs=0.1)


def test_the_fewest_agents_for_eighty_percent_in_twenty_seconds():
    assert agents_needed(200, 180) == 14  # 13 answer only 79.6 % in time
    needed = agents_needed(400, 180)
    assert service_level(20, needed, 180, 20) >= 0.8 > service_level(20, needed - 1, 180, 20)


def test_no_calls_need_no_agents_and_too_few_agents_never_answer_in_time():
    assert agents_needed(0, 300) == 0
    assert erlang_c(5, 5) == 1.0 and service_level(5, 4, 300, 20) == 0.0
    assert erlang_c(0, 3) == 0.0

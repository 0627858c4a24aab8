"""POWERTOOLS_METRICS_DISABLED silences the business counters entirely (a long local run or a
benchmark counts far more than 100 events of one kind)."""

from __future__ import annotations

import pytest

from chalicelib.observability import count, flush, metrics


def test_disabled_metrics_print_nothing_even_past_a_hundred_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    metrics.metric_set.clear()
    for _ in range(250):
        count("CasesOpened")
    flush()
    assert capsys.readouterr().out == ""


def test_enabled_metrics_still_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics.metric_set.clear()
    count("CasesOpened", 2)
    assert metrics.metric_set["CasesOpened"]["Value"] == [2.0]
    metrics.metric_set.clear()

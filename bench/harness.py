"""A small benchmark harness: each benchmark is timed beside a baseline in the same run,
so the printed ratio means something on a noisy machine."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    unit: str
    value: float
    baseline_name: str
    baseline: float

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def per_second(operation: Callable[[], object], count: int, repeats: int = 3) -> float:
    """Operations per second: the median of ``repeats`` runs of ``count`` operations."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            operation()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def seconds(operation: Callable[[], object], repeats: int = 5) -> float:
    """Median wall time of one call."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(results: list[Result]) -> None:
    width = max(len(r.name) for r in results) + 2
    print(f"{'benchmark':<{width}}{'value':>14}  {'baseline':>14}  ratio  (baseline)")
    for r in results:
        print(
            f"{r.name:<{width}}{r.value:>10.1f} {r.unit:<3}  {r.baseline:>10.1f} {r.unit:<3}"
            f"  {r.ratio:5.2f}  ({r.baseline_name})"
        )

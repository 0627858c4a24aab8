"""A small benchmark harness: each figure is measured beside a baseline that is a limit (raw
SQLite, a bare Chalice app) in the same run, in interleaved rounds, and judged against its
target. The ratio is the median of the per-round ratios, so a machine that slows down for a
while (this one is shared) moves both sides of a round together."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    name: str
    unit: str
    value: float
    baseline_name: str
    baseline: float
    # The median of per-round ratios when measured in rounds; value / baseline otherwise.
    ratio: float | None = None
    target: str = ""  # as printed: "ratio >= 0.10", "<= 3 calls", ...
    passed: bool | None = None  # None: a figure without a target (shown for context)
    rounds: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.ratio is None:
            self.ratio = self.value / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "FAIL")


def rate(operation: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        operation()
    return count / (time.perf_counter() - start)


def duration(operation: Callable[[], object], count: int = 1) -> float:
    """Seconds per call, over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        operation()
    return (time.perf_counter() - start) / count


def paired(
    figure: Callable[[], float], baseline: Callable[[], float], rounds: int = 7
) -> tuple[float, float, float, list[float]]:
    """Runs ``figure`` and ``baseline`` (each returns one measurement) in turn, the order
    alternating round by round; returns both medians, the median ratio and the ratios."""
    figures, baselines, ratios = [], [], []
    for n in range(rounds):
        if n % 2:
            b = baseline()
            a = figure()
        else:
            a = figure()
            b = baseline()
        figures.append(a)
        baselines.append(b)
        ratios.append(a / b if b else float("inf"))
    return (
        statistics.median(figures),
        statistics.median(baselines),
        statistics.median(ratios),
        ratios,
    )


def at_least(result: Result, floor: float) -> Result:
    result.target, result.passed = f"ratio >= {floor:g}", (result.ratio or 0) >= floor
    return result


def at_most(result: Result, ceiling: float) -> Result:
    result.target, result.passed = f"ratio <= {ceiling:g}", (result.ratio or 0) <= ceiling
    return result


def value_at_most(result: Result, ceiling: float, text: str) -> Result:
    result.target, result.passed = text, result.value <= ceiling
    return result


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _row(r: Result) -> list[str]:
    return [
        r.name,
        f"{r.value:.2f} {r.unit}",
        f"{r.baseline:.2f} {r.unit}",
        r.baseline_name,
        f"{r.ratio:.2f}",
        r.target,
        r.verdict,
    ]


HEAD = ["figure", "value", "baseline", "baseline is", "ratio", "target", ""]


def report(results: list[Result]) -> str:
    """Prints the table and returns it as Markdown (for docs/performance.md)."""
    rows = [HEAD, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEAD))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    failed = [r.name for r in results if r.passed is False]
    print(
        f"\n{len(results) - len(failed)} of {len(results)} figures pass"
        + (f"; FAIL: {', '.join(failed)}" if failed else "")
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Measured {stamp} on {machine()}.", "", "| " + " | ".join(HEAD) + " |"]
    lines.append("|" + "---|" * len(HEAD))
    lines += ["| " + " | ".join(_row(r)) + " |" for r in results]
    return "\n".join(lines) + "\n"

"""``make simulate``: a day of the single number against the real services.

python -m simulator [--contacts 25000] [--seed 1555] [--out var/simulation]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The services count metrics and log each timer; a simulated day would print hundreds of
# thousands of lines. Set before chalicelib is imported.
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

from simulator.day import Day
from simulator.figures import Observed
from simulator.plan import Plan
from simulator.report import plot, product_figures, report_lines, staffing_table
from simulator.world import build_world

OUT = Path("var/simulation")


class Progress:
    """A one-line progress bar on stderr (no dependency for twenty lines)."""

    def __init__(self, total: int, width: int = 40, stream=sys.stderr) -> None:
        self.total, self.width, self.stream = total, width, stream
        self.started = time.perf_counter()
        self._shown = -1

    def __call__(self, done: int) -> None:
        percent = 100 * done // max(self.total, 1)
        if percent == self._shown:
            return
        self._shown = percent
        filled = self.width * done // max(self.total, 1)
        elapsed = time.perf_counter() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d} %"
            f" {done:,}/{self.total:,} contacts {elapsed:5.1f} s"
        )
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


@dataclass(frozen=True)
class Result:
    seen: Observed
    report: Path
    png: Path


def simulate(plan: Plan, out: Path = OUT, progress=None) -> Result:
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(plan, out)
    seen = Observed(plan)
    started = time.perf_counter()
    Day(plan, world, random.Random(plan.seed), seen, progress or (lambda done: None)).run()
    seen.seconds = time.perf_counter() - started
    lines = report_lines(seen, staffing_table(seen))
    lines += product_figures(world.ctx, plan.day)
    report = out / "report.txt"
    report.write_text("\n".join(lines) + "\n", "utf-8")
    png = out / "day.png"
    plot(seen, png)
    return Result(seen, report, png)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make simulate", description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=Plan.contacts)
    parser.add_argument("--seed", type=int, default=Plan.seed)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    plan = Plan(contacts=args.contacts, seed=args.seed)
    result = simulate(plan, args.out, Progress(plan.contacts))
    print(result.report.read_text("utf-8"))
    print(f"Written: {result.report} and {result.png}")


if __name__ == "__main__":
    main()

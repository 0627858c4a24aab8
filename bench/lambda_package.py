"""The Lambda package: zip size beside its budget, cold import of the packaged app beside a
bare Chalice hello-world, and the first Greek holiday lookup.

Builds the package with infra/package.sh (pip needs PyPI, or chalice's cache), unpacks it and
times fresh interpreters as Lambda starts them: only the unpacked zip and the standard library
on the path, nothing written (-B). The app and the hello-world run in turn, round by round;
the figure is the median of the per-round ratios. BENCH_PACKAGE=<dir> reuses a built package.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.harness import Result

ROOT = Path(__file__).resolve().parents[1]
ZIP_BUDGET = 5_000_000  # the issue "Lean Lambda"; tests/infra/test_package.py holds it too
ROUNDS = 15
APP = "import app"
HELLO = "from chalice import Chalice\napp = Chalice(app_name='hello')"
FIRST_HOLIDAY = """
import datetime, time
from chalicelib.domain.calendar import is_greek_public_holiday
start = time.perf_counter()
assert is_greek_public_holiday(datetime.date(2027, 5, 3))
print(time.perf_counter() - start)
"""


def run(_scale: int = 0) -> list[Result]:
    with tempfile.TemporaryDirectory() as work:
        package = Path(os.environ.get("BENCH_PACKAGE") or _build(Path(work) / "package"))
        tree = Path(work) / "unpacked"
        with zipfile.ZipFile(package / "deployment.zip") as archive:
            archive.extractall(tree)
        size = (package / "deployment.zip").stat().st_size
        app_times, hello_times = [], []
        for _ in range(ROUNDS):
            app_times.append(_cold(tree, APP))
            hello_times.append(_cold(tree, HELLO))
        ratios = [a / h for a, h in zip(app_times, hello_times, strict=True)]
        holiday = statistics.median(float(_python(tree, FIRST_HOLIDAY)) for _ in range(5))
    print(
        f"lambda package: {size / 1e6:.2f} MB (budget {ZIP_BUDGET / 1e6:.0f} MB); cold import "
        f"median ratio to a bare Chalice app {statistics.median(ratios):.2f} "
        f"(rounds: {', '.join(f'{r:.1f}' for r in ratios)})"
    )
    return [
        Result("Lambda zip", "MB", size / 1e6, "the 5 MB budget", ZIP_BUDGET / 1e6),
        Result(
            "cold import of the packaged app",
            "ms",
            statistics.median(app_times) * 1000,
            "bare Chalice hello-world",
            statistics.median(hello_times) * 1000,
        ),
        Result(
            "first Greek holiday lookup",
            "ms",
            holiday * 1000,
            "cold import of a bare Chalice app",
            statistics.median(hello_times) * 1000,
        ),
    ]


def _build(out: Path) -> Path:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(ROOT / "infra" / "package.sh"), "prod", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def _python(tree: Path, code: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-B",
            "-c",
            f"import sys\nsys.path[:0] = [{str(tree)!r}]\n{code}",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"], "STAGE": "prod", "STORE": "dynamodb"},
    )
    return result.stdout


def _cold(tree: Path, code: str) -> float:
    """Wall seconds of a fresh interpreter running ``code``, start-up included."""
    start = time.perf_counter()
    _python(tree, code)
    return time.perf_counter() - start

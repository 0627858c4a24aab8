"""The Lambda package: zip size beside its budget, cold import of the packaged app beside a
bare Chalice hello-world, and the first Greek holiday lookup.

Builds the package with infra/package.sh (pip needs PyPI, or chalice's cache), unpacks it and
times fresh interpreters as Lambda starts them: only the unpacked zip and the standard library
on the path, nothing written (-B). The app and the hello-world run in turn, round by round
(the order alternating); the figure is the median of the per-round ratios. The first request
after a cold import (which loads its route group) is timed beside the same request once warm.
BENCH_PACKAGE=<dir> reuses a built package.
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

from bench.harness import Result, at_most, paired, value_at_most

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
# A citizen's case, as API Gateway hands it to the function; over SQLite (the local stage) in
# a temporary file, since the package carries no AWS SDK to reach DynamoDB from here.
FIRST_REQUEST = """
import json, time
start = time.perf_counter()
{imports}
body = json.dumps({case})
event = {{
    "resource": "{path}", "path": "{path}", "httpMethod": "POST",
    "headers": {{"content-type": "application/json"}}, "multiValueHeaders": {{}},
    "queryStringParameters": None, "multiValueQueryStringParameters": None,
    "pathParameters": None, "stageVariables": None, "body": body, "isBase64Encoded": False,
    "requestContext": {{"resourcePath": "{path}", "httpMethod": "POST", "requestId": "r1"}},
}}
imported = time.perf_counter()
response = app(event, None)
assert response["statusCode"] in (200, 201), response
first = time.perf_counter()
app(event, None)
print(imported - start, first - imported, time.perf_counter() - first)
"""
CASE = {
    "agency": "efka",
    "topic": "contributions",
    "subject": "Εισφορές",
    "description": "Πότε πληρώνονται οι εισφορές;",
    "language": "el",
    "consent": True,
    "citizen": {"full_name": "Γιάννης Παπαδάκης", "email": "giannis@example.gr"},
}


def run(_scale: int = 0) -> list[Result]:
    with tempfile.TemporaryDirectory() as work:
        package = Path(os.environ.get("BENCH_PACKAGE") or _build(Path(work) / "package"))
        tree = Path(work) / "unpacked"
        with zipfile.ZipFile(package / "deployment.zip") as archive:
            archive.extractall(tree)
        size = (package / "deployment.zip").stat().st_size
        imported, hello, ratio, rounds = paired(
            lambda: _cold(tree, APP) * 1000, lambda: _cold(tree, HELLO) * 1000, ROUNDS
        )
        first, warm = _first_requests(tree, Path(work))
        holiday = statistics.median(float(_python(tree, FIRST_HOLIDAY)) for _ in range(5))
    print(
        f"lambda package: {size / 1e6:.2f} MB; cold import ratio per round "
        f"{', '.join(f'{r:.1f}' for r in rounds)}",
        flush=True,
    )
    zip_size = Result("Lambda zip", "MB", size / 1e6, "the 5 MB budget", ZIP_BUDGET / 1e6)
    cold = Result(
        "cold `import app` (packaged, fresh interpreter)",
        "ms",
        imported,
        "bare Chalice hello-world, same zip",
        hello,
        ratio,
        rounds=rounds,
    )
    return [
        value_at_most(zip_size, ZIP_BUDGET / 1e6, "<= 5 MB"),
        at_most(cold, 3),
        Result(
            "first request after it: POST /v1/cases (SQLite)",
            "ms",
            first,
            "the same request, warm",
            warm,
        ),
        Result(
            "first Greek holiday lookup in a process",
            "ms",
            holiday * 1000,
            "cold import of a bare Chalice app",
            hello,
        ),
    ]


def _first_requests(tree: Path, work: Path) -> tuple[float, float]:
    """Median milliseconds of the first request after a cold import, and of the same
    request right after it (warm)."""
    code = FIRST_REQUEST.format(imports="from app import app", case=CASE, path="/v1/cases")
    firsts, warm = [], []
    for n in range(5):
        local = {"STAGE": "local", "STORE": "sqlite", "SQLITE_PATH": str(work / f"{n}.db")}
        # The last line: the metrics (EMF) printed before it are part of the request.
        times = [float(t) * 1000 for t in _python(tree, code, local).splitlines()[-1].split()]
        firsts.append(times[1])
        warm.append(times[2])
    return statistics.median(firsts), statistics.median(warm)


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


def _python(tree: Path, code: str, env: dict[str, str] | None = None) -> str:
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
        env={"PATH": os.environ["PATH"], **(env or {"STAGE": "prod", "STORE": "dynamodb"})},
    )
    return result.stdout


def _cold(tree: Path, code: str) -> float:
    """Wall seconds of a fresh interpreter running ``code``, start-up included."""
    start = time.perf_counter()
    _python(tree, code)
    return time.perf_counter() - start

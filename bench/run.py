"""`make bench`: every figure beside a baseline measured in the same run, and its target.

`python -m bench.run [scale]`. Baselines are limits (a raw SQLite commit or SELECT with the
store's own PRAGMAs, a bare Chalice app from the same zip), measured in interleaved rounds;
the ratio is the median of the per-round ratios. DynamoDB is counted in calls, never timed
(moto's timings are not DynamoDB's). The table is also written as Markdown to
var/bench/latest.md, for docs/performance.md.
"""

from __future__ import annotations

import logging
import os
import sys

# Before anything imports powertools: the business metrics (EMF JSON on stdout) stay silent,
# and the DynamoDB counts run against moto in this process (no account, no network).
os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
os.environ.setdefault("STAGE", "local")
for _name, _value in (
    ("AWS_DEFAULT_REGION", "eu-central-1"),
    ("AWS_ACCESS_KEY_ID", "bench"),
    ("AWS_SECRET_ACCESS_KEY", "bench"),
):
    os.environ.setdefault(_name, _value)

from bench import bookings, calls, cases, lambda_package, local_server  # noqa: E402
from bench.harness import ROOT, report  # noqa: E402


def main() -> None:
    logging.disable(logging.INFO)
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    results = []
    for name, module in (
        ("intake and reads (SQLite)", cases),
        ("round trips per operation", calls),
        ("bookings (SQLite)", bookings),
        ("the local server", local_server),
        ("the Lambda package", lambda_package),
    ):
        print(f"-- {name}", flush=True)
        results += module.run(scale)
    print()
    markdown = report(results)
    out = ROOT / "var" / "bench" / "latest.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown)
    print(f"\n(written to {out.relative_to(ROOT)})")
    if any(r.passed is False for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

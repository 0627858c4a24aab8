"""`make bench`: prints each figure beside its baseline, measured in the same run.

`python -m bench.run [scale]`; the ratio is figure / baseline (for /s higher is better,
for ms lower is better).
"""

from __future__ import annotations

import logging
import os
import sys

from bench import bookings, cases, lambda_package, local_server
from bench.harness import report


def main() -> None:
    logging.disable(logging.INFO)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    # The DynamoDB figures run against moto in this process: no account, no network.
    for name, value in (
        ("AWS_DEFAULT_REGION", "eu-central-1"),
        ("AWS_ACCESS_KEY_ID", "bench"),
        ("AWS_SECRET_ACCESS_KEY", "bench"),
    ):
        os.environ.setdefault(name, value)
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    results = cases.run(scale)
    results += bookings.run(scale)
    results += local_server.run(scale)
    results += lambda_package.run(scale)
    report(results)


if __name__ == "__main__":
    main()

"""`make bench`: prints each figure beside its baseline, measured in the same run."""

from __future__ import annotations

import logging
import os
import sys

from bench import cases
from bench.harness import report


def main() -> None:
    logging.disable(logging.INFO)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    results = cases.run(scale)
    try:
        from bench import bookings
    except ImportError:
        bookings = None
    if bookings is not None:
        results += bookings.run(scale)
    report(results)


if __name__ == "__main__":
    main()

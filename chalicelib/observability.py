"""Shared logger and metrics (aws-lambda-powertools): JSON logs, EMF metrics.

In Lambda the metrics go to CloudWatch through the log stream; locally they print.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

logger = Logger(service="citizen-service")
metrics = Metrics(namespace="CitizenService", service="citizen-service")


def count(name: str, value: int = 1) -> None:
    """Counts a business event; names are PascalCase (CasesOpened, BookingsConfirmed, ...)."""
    if is_metrics_disabled():
        # POWERTOOLS_METRICS_DISABLED: powertools' own flush obeys it, but the flush it makes
        # by itself at 100 values of one metric (a long local run, a benchmark) does not.
        return
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    if metrics.metric_set:
        metrics.flush_metrics()

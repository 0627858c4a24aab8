"""Shared logger and metrics (aws-lambda-powertools): JSON logs, EMF metrics.

In Lambda the metrics go to CloudWatch through the log stream; locally they print.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="citizen-service")
metrics = Metrics(namespace="CitizenService", service="citizen-service")


def count(name: str, value: int = 1) -> None:
    """Counts a business event; names are PascalCase (CasesOpened, BookingsConfirmed, ...)."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    if metrics.metric_set:
        metrics.flush_metrics()

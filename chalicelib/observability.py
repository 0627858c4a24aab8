"""Shared logger and metrics (aws-lambda-powertools): JSON logs, EMF metrics."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="citizen-service")
metrics = Metrics(namespace="CitizenService", service="citizen-service")

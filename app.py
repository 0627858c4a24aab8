"""The Chalice app: HTTP routes under /v1, the deadline queue consumer, the sweeper and the
outbox drain.

Kept thin: everything is wired lazily by chalicelib.bootstrap on first use, and each handler
imports what it runs, so a cold start pays only for the function (and route group) it serves.
"""

from __future__ import annotations

import os

from chalice import Rate

from chalicelib import bootstrap
from chalicelib.route_groups import LazyChalice
from chalicelib.route_index import ROUTE_INDEX

app = LazyChalice(app_name="citizen-service", index=ROUTE_INDEX)
app.api.binary_types = []

# Each route group (a module with a blueprint ``bp``) is imported when a request first needs
# one of its paths (chalicelib/route_groups.py): a cold Lambda pays for one group, not all.
# After adding or moving a route, run `python -m devtools.route_index`.
API_PREFIX = "/v1"
for group in (
    "reference",
    "cases",
    "agent_cases",
    "callbacks",
    "citizen_view",
    "erasure",
    "bookings",
    "branch_staff",
    "open311_admin",
    "kpis",
    "surveys",
    "roster_admin",
):
    app.route_group(f"chalicelib.api.{group}", url_prefix=API_PREFIX)
# The document describes every route, so serving it loads every group.
app.route_group("chalicelib.api.openapi", url_prefix=API_PREFIX, needs_all=True)
# Open311 GeoReport v2 keeps the specification's own paths: /api/open311/v2/services.json.
app.route_group("chalicelib.api.open311", url_prefix="/open311")


@app.middleware("http")
def refusals_as_problems(event, get_response):
    from chalicelib.api.problems import refusal_as_problem

    return refusal_as_problem(get_response(event), event)


@app.middleware("all")
def observe(event, get_response):
    from chalicelib.observability import flush, logger

    request_context = getattr(event, "context", None)
    if isinstance(request_context, dict):
        logger.set_correlation_id(request_context.get("requestId"))
    try:
        return get_response(event)
    finally:
        flush()


# The queue is created by infra/ (with its dead-letter queue); its name is per stage.
TIMER_QUEUE = os.environ.get("TIMER_QUEUE_NAME", "citizen-service-timers")


@app.on_sqs_message(queue=TIMER_QUEUE, batch_size=1)
def on_timer(event):
    # Batch size 1: a failing message is retried alone and, after maxReceiveCount,
    # lands in the dead-letter queue without holding back the others.
    from chalicelib.adapters.aws.sqs_timers import decode, is_legacy
    from chalicelib.services import timers

    ctx = bootstrap.context()
    for record in event:
        deliver = timers.adopt if is_legacy(record.body) else timers.on_delivery
        deliver(ctx, decode(record.body), ctx.clock.now())


# Stops a page short of the Lambda's timeout; the next run continues from the index's head.
PUMP_MARGIN_MS = 10_000


@app.schedule(Rate(1, unit=Rate.MINUTES))
def timer_pump(event):
    from chalicelib.observability import logger
    from chalicelib.services import timers

    lambda_context = event.context
    sent = timers.pump(
        bootstrap.context(),
        lambda: lambda_context.get_remaining_time_in_millis() > PUMP_MARGIN_MS,
    )
    logger.info("timers handed to the queue", extra={"sent": sent})


@app.schedule(Rate(5, unit=Rate.MINUTES))
def sweeper(event):
    from chalicelib.observability import logger
    from chalicelib.services import timers

    handled = timers.sweep(bootstrap.context())
    logger.info("sweep done", extra={"handled": handled})


@app.schedule(Rate(1, unit=Rate.MINUTES))
def outbox_drain(event):
    # Messages to citizens are written with the change that causes them; this sends them
    # (retried with backoff, dead-lettered after a few failures: see adapters/outbox.py).
    from chalicelib.observability import logger

    lambda_context = event.context
    sent = bootstrap.deliver_messages(
        lambda: lambda_context.get_remaining_time_in_millis() > PUMP_MARGIN_MS
    )
    logger.info("messages delivered", extra={"sent": sent})

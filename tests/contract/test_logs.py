"""Structured logs keep their own fields: an event's data never overwrites the logger's."""

import io
import json
import logging

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka, book
from support import TOMORROW, at

from chalicelib.observability import logger
from chalicelib.services import branch_admin


@pytest.fixture
def log_lines():
    """The JSON lines the platform logs, formatted as in Lambda."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_booking_and_desk_logs_name_the_platform_as_their_service(ctx, log_lines):
    book(ctx, at(TOMORROW, 10))
    ctx.bookings.block(amka(1), CERTIFICATE, at(TOMORROW, 12))
    katerina = ctx.directory.agents["katerina"]
    branch_admin.lift_no_show_block(ctx, katerina, SYNTAGMA, amka(1), CERTIFICATE, "Ασθένεια")

    lines = log_lines()

    assert {"booking confirmed", "no-show block lifted"} <= {line["message"] for line in lines}
    assert {line["service"] for line in lines} == {"citizen-service"}

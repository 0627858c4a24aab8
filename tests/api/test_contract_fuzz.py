"""Schemathesis drives the local server (`make run`'s, over a fresh SQLite store) from the
published OpenAPI document: generated requests to every operation, then journeys along the
document's links (submit a case, then track it with its token; book, then read, move and
cancel the booking). Every answer must be documented, match its schema, never be a 5xx, and
every refusal must be application/problem+json. Bounded: a few examples per operation."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import hypothesis
import pytest
import schemathesis
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support import CASE_BODY, START, TOMORROW, at

from chalicelib.api.auth import dev_token
from chalicelib.api.openapi import document
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.directory_data import load_directory
from devtools.runtime import LocalRuntime, install_dev_routes
from devtools.server import serve

# Moving the server's clock is a demo tool, not part of the contract (and would make the
# run depend on the order of examples).
SKIPPED = "^/api/v1/dev/clock$"
EXAMPLES = 6
STATEFUL_RUNS = 20


@schemathesis.check
def refusals_are_problems(ctx, response, case) -> None:
    """Every 4xx/5xx under /api/v1 is RFC 9457 problem+json whose status is the answer's."""
    if response.status_code < 400 or not case.path.startswith("/api/v1/"):
        return  # Open311 answers in its own error format, by its specification
    types = [v for k, vs in response.headers.items() if k.lower() == "content-type" for v in vs]
    assert types and types[0].startswith("application/problem+json"), f"Content-Type {types}"
    assert response.json()["status"] == response.status_code, "status differs from the answer's"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    refusals_are_problems,
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("contract")
    runtime = LocalRuntime(
        Settings(sqlite_path=str(folder / "store.db")), clock=MovableClock(START, frozen=True)
    )
    server = serve(free_port(), runtime, site=folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def staff() -> dict[str, str]:
    """A supervisor of every team (the demo user sofia), signed as the local stage signs."""
    agent = load_directory().agents["sofia"]
    token = dev_token(agent, Settings().jwt_secret, now=datetime.now(UTC))
    return {"Authorization": f"Bearer {token}"}


def published() -> dict:
    """The document the local server publishes (the dev routes included)."""
    from app import app

    install_dev_routes(app)
    return document()


schema = schemathesis.openapi.from_dict(published()).exclude(path_regex=SKIPPED)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, server, staff):
    case.call_and_validate(base_url=server, headers=staff, checks=CHECKS)


def _case(n: int) -> dict:
    citizen = {**CASE_BODY["citizen"], "amka": amka(n), "email": f"c{n}@example.gr"}
    return {**CASE_BODY, "citizen": citizen}


def _booking(n: int) -> dict:
    # Ten-minute slots, two desks, Wednesday 09:00-19:00 (before 09:00 is for walk-ins).
    start = at(TOMORROW, 9 + (n // 12) % 9, 10 * ((n // 2) % 6)).isoformat()
    citizen = {"full_name": f"Πολίτης {n}", "amka": amka(n), "email": f"b{n}@example.gr"}
    return {"branch": SYNTAGMA, "service": CERTIFICATE, "start": start, "citizen": citizen}


def _callback(n: int) -> dict:
    return {"agency": "efka", "window_start": "asap", "phone": f"69{n:08d}"}


# The journeys start from writes a citizen would really send (a generated AMKA almost never
# passes its check digit), so that the links lead somewhere; the first test fuzzes these bodies.
STARTS = {
    ("POST", "/api/v1/cases"): _case,
    ("POST", "/api/v1/agent/cases"): _case,
    ("POST", "/api/v1/bookings"): _booking,
    ("POST", "/api/v1/callbacks"): _callback,
}
journeys = schemathesis.openapi.from_dict(published()).exclude(path_regex=SKIPPED)
journeys.config.generation.update(modes=[GenerationMode.POSITIVE])


# The server keeps its state between runs, so a journey cannot be replayed to shrink it.
JOURNEY_SETTINGS = settings(
    max_examples=STATEFUL_RUNS,
    stateful_step_count=10,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
SUITES = 8
LINKED = {
    ("GET", "/api/v1/cases/{reference}"),
    ("GET", "/api/v1/bookings/{code}"),
    ("GET", "/api/v1/callbacks/{reference}"),
}


def test_journeys_along_the_links_answer_as_documented(server, staff):
    numbers = itertools.count(1)
    failures: list[str] = []
    reached: set[tuple[str, str]] = set()

    class Checked(journeys.as_state_machine()):
        def before_call(self, case):
            start = STARTS.get((case.method, case.path))
            if start is not None:
                case.body = start(next(numbers))

        def get_call_kwargs(self, case):
            return {"base_url": server, "headers": staff}

        def after_call(self, response, case):
            super().after_call(response, case)
            if response.status_code < 300:
                reached.add((case.method, case.path))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Collected rather than raised: the server keeps its state, so Hypothesis could
            # not replay a failing journey to confirm or shrink it.
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as failure:
                failures.append(f"{case.method} {case.formatted_path}: {failure}")

    for suite in range(SUITES):
        # Hypothesis stops a suite when it notices that a journey's choices depend on the
        # server's earlier answers (they do: the store keeps what each journey wrote), as
        # schemathesis' own runner does; the next suite starts afresh with another seed.
        with contextlib.suppress(Flaky):
            machine = hypothesis.seed(suite)(Checked)
            schemathesis.stateful.run_state_machine_as_test(machine, settings=JOURNEY_SETTINGS)
        if reached >= LINKED:
            break

    assert not failures, "\n\n".join(failures)
    # The links were followed: a receipt led to the resource it describes.
    assert reached >= LINKED

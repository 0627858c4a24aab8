"""What the platform writes to its logs never names a citizen: a day of journeys through the
local server over real sockets, with its access log and the application's JSON logs captured,
leaves no AMKA, AFM, phone, e-mail or token in any line."""

from __future__ import annotations

import http.client
import io
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from privacy_journeys import run_journeys
from support import START, Api, ApiResponse

from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.observability import logger
from devtools.runtime import LocalRuntime
from devtools.server import serve


class SocketApi(Api):
    """The same client as the HTTP tests, but every request crosses the local server."""

    def __init__(self, runtime: LocalRuntime, port: int) -> None:
        super().__init__(runtime)
        self._port = port

    def request(self, method: str, path: str, body: Any = None, **kwargs: Any) -> ApiResponse:
        headers = {"Content-Type": "application/json", **(kwargs.get("headers") or {})}
        if kwargs.get("token"):
            headers["Authorization"] = f"Bearer {kwargs['token']}"
        data = json.dumps(body).encode() if body is not None else None
        connection = http.client.HTTPConnection("127.0.0.1", self._port, timeout=10)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        answered = dict(response.getheaders())
        parsed = json.loads(text) if "json" in answered.get("Content-Type", "") and text else text
        return ApiResponse(response.status, answered, parsed)


@pytest.fixture
def server_api(tmp_path, monkeypatch) -> Iterator[SocketApi]:
    monkeypatch.delenv("QUIET", raising=False)  # the access log is what we want to read
    settings = Settings(sqlite_path=str(tmp_path / "store.db"))
    runtime = LocalRuntime(settings, clock=MovableClock(START, frozen=True))
    server = serve(0, runtime, site=tmp_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SocketApi(runtime, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app_log() -> Iterator[io.StringIO]:
    """The application's JSON log lines, formatted as in Lambda."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_no_log_line_names_a_citizen_or_carries_a_token(server_api, app_log, capfd):
    secrets = run_journeys(server_api)

    out, err = capfd.readouterr()
    lines = [*app_log.getvalue().splitlines(), *out.splitlines(), *err.splitlines()]

    assert sum('"POST /api/v1/' in line for line in lines) >= 10  # the access log was read
    assert any("booking confirmed" in line for line in lines)
    leaks = [line for line in lines if secrets.found_in(line)]
    assert not leaks, "\n".join(leaks)

"""`make run`'s server over real sockets: bursts, keep-alive, bad framing, problem answers."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from support import CASE_BODY, START

from chalicelib.api.i18n import title
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from devtools.runtime import LocalRuntime
from devtools.server import serve

CASE = json.dumps(CASE_BODY).encode()
JSON = {"Content-Type": "application/json"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def runtime(tmp_path) -> LocalRuntime:
    settings = Settings(sqlite_path=str(tmp_path / "store.db"))
    return LocalRuntime(settings, clock=MovableClock(START, frozen=True))


@contextmanager
def running(runtime: LocalRuntime, site, **options) -> Iterator[tuple]:
    """A server listening on a free port; ``start()`` begins serving (once)."""
    server = serve(_free_port(), runtime, site=site, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        yield server, thread.start
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


@pytest.fixture
def port(runtime, tmp_path) -> Iterator[int]:
    with running(runtime, tmp_path) as (server, start):
        start()
        yield server.server_address[1]


def raw_request(port: int, head: str, body: bytes = b"", *, half_close: bool = False):
    """Sends bytes as they are (framing errors included) and reads one answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response, response.read()


def problem(response, data: bytes) -> dict:
    assert response.getheader("Content-Type") == "application/problem+json"
    body = json.loads(data)
    assert body["status"] == response.status
    return body


def test_a_burst_of_64_connections_is_answered_without_a_refusal_or_reset(runtime, tmp_path):
    with running(runtime, tmp_path) as (server, start):
        port = server.server_address[1]
        clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(64)]
        for sock in clients:
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

        start()
        answers = []
        for sock in clients:
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.read()
            answers.append(response.status)
            sock.close()

    assert answers == [200] * 64


def test_one_keep_alive_connection_serves_several_submissions(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    statuses, sockets = [], set()

    for _ in range(3):
        connection.request("POST", "/api/v1/cases", CASE, JSON)
        response = connection.getresponse()
        json.loads(response.read())
        statuses.append(response.status)
        sockets.add(id(connection.sock))
    connection.close()

    assert statuses == [201, 201, 201]
    assert len(sockets) == 1


def test_an_accepted_connection_sends_small_answers_without_waiting_nagle(runtime, tmp_path):
    with running(runtime, tmp_path) as (server, _):
        client = socket.create_connection(server.server_address, timeout=5)

        accepted, _address = server.get_request()

        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        accepted.close()
        client.close()


class CountingSocket(socket.socket):
    """Counts the writes the server makes on a connection."""

    writes = 0

    def send(self, data, *args) -> int:
        self.writes += 1
        return super().send(data, *args)

    def sendall(self, data, *args) -> None:
        self.writes += 1
        super().sendall(data, *args)


def test_an_answer_leaves_in_one_write_headers_and_body_together(runtime, tmp_path):
    with running(runtime, tmp_path) as (server, _):
        ours, theirs = socket.socketpair()
        counted = CountingSocket(fileno=ours.detach())
        handler = threading.Thread(target=server.finish_request, args=(counted, ("local", 0)))
        handler.start()

        theirs.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        response = http.client.HTTPResponse(theirs)
        response.begin()
        response.read()
        handler.join(5)
        theirs.close()
        counted.close()

    assert response.status == 200
    assert counted.writes == 1


@pytest.mark.parametrize(
    ("length", "status", "problem_type"),
    [
        ("ten", 400, "bad-request"),
        ("-5", 400, "bad-request"),
        (str(2 * 1024 * 1024), 413, "too-large"),
    ],
)
@pytest.mark.parametrize("language", ["el", "en"])
def test_a_bad_content_length_is_answered_with_a_problem_in_the_callers_language(
    port, length, status, problem_type, language
):
    head = (
        f"POST /api/v1/cases HTTP/1.1\nHost: x\nContent-Type: application/json\n"
        f"Accept-Language: {language}\nContent-Length: {length}\n"
    )

    response, data = raw_request(port, head)

    assert response.status == status
    body = problem(response, data)
    assert body["type"] == f"/problems/{problem_type}"
    assert body["title"] == title(problem_type, language)
    assert response.getheader("Connection") == "close"


def test_a_body_shorter_than_its_content_length_is_refused_when_the_client_stops(port):
    head = "POST /api/v1/cases HTTP/1.1\nHost: x\nContent-Type: application/json\n"
    head += "Content-Length: 100\n"

    response, data = raw_request(port, head, b'{"a": 1234', half_close=True)

    assert response.status == 400
    assert problem(response, data)["type"] == "/problems/bad-request"


def test_a_body_that_never_arrives_frees_the_worker_with_a_400(runtime, tmp_path):
    head = "POST /api/v1/cases HTTP/1.1\nHost: x\nContent-Type: application/json\n"
    head += "Content-Length: 100\n"
    with running(runtime, tmp_path, timeout=0.5) as (server, start):
        start()

        response, data = raw_request(server.server_address[1], head, b'{"a": 1234')

    assert response.status == 400
    assert problem(response, data)["type"] == "/problems/bad-request"


def test_a_method_a_route_does_not_have_is_a_405_problem_naming_the_allowed_ones(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    connection.request("DELETE", "/api/v1/cases", headers={"Accept-Language": "en"})
    response = connection.getresponse()
    data = response.read()

    assert response.status == 405
    body = problem(response, data)
    assert body["type"] == "/problems/method-not-allowed"
    assert body["title"] == title("method-not-allowed", "en")
    assert response.getheader("Allow") == "POST"


def test_a_body_type_a_route_does_not_read_is_a_415_problem(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    connection.request("POST", "/api/v1/cases", b"<case/>", {"Content-Type": "application/xml"})
    response = connection.getresponse()
    data = response.read()

    assert response.status == 415
    body = problem(response, data)
    assert body["type"] == "/problems/unsupported-media-type"
    assert body["title"] == title("unsupported-media-type", "el")


def test_an_unknown_api_path_is_a_404_problem_in_english_when_asked(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    connection.request("GET", "/api/v1/nowhere", headers={"Accept-Language": "en"})
    response = connection.getresponse()
    data = response.read()

    assert response.status == 404
    body = problem(response, data)
    assert body["type"] == "/problems/no-route"
    assert body["title"] == title("no-route", "en")

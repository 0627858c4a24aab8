"""`make run`'s server under load: 8 keep-alive clients submitting cases, beside the same
submissions made in process through the same gateway path (the server's own cost is the gap).

The server runs as `make run` runs it, in its own process (SEED=0, a temporary SQLite), so
the clients' threads do not share its interpreter; the in-process baseline runs in a fresh
process of its own too (one client, one request at a time), with the same local worker
delivering the messages the cases write, so the gap between the two is the HTTP layer.
Rounds are interleaved so both sides see the same machine; the figure is the median of the
per-round ratios, and the p95 is over every HTTP request of every round.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bench.harness import Result, at_least, value_at_most
from chalicelib.clock import MovableClock
from chalicelib.config import Settings, limits_from_env
from chalicelib.domain.calendar import ATHENS
from devtools.runtime import LocalRuntime

CLIENTS = 8
ROUNDS = 7
HEADERS = {"content-type": "application/json"}
CASE = json.dumps(
    {
        "agency": "efka",
        "topic": "contributions",
        "subject": "Εισφορές",
        "description": "Πότε πληρώνονται οι εισφορές;",
        "language": "el",
        "consent": True,
        "citizen": {"full_name": "Γιάννης Παπαδάκης", "email": "giannis@example.gr"},
    },
    ensure_ascii=False,
).encode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _in_process(runtime: LocalRuntime, gateway, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        with runtime.lock:
            response = gateway.handle_request("POST", "/v1/cases", dict(HEADERS), CASE)
        assert response["statusCode"] == 201, response
    return count / (time.perf_counter() - start)


def _serve_in_process(db: str) -> None:
    """The baseline's own process (`--in-process DB`): a fresh interpreter like the server's,
    not the benchmark's, which carries every earlier figure's objects. Reads a count per line,
    answers the rate."""
    from app import app

    clock = MovableClock(datetime(2026, 12, 1, 9, tzinfo=ATHENS), frozen=False)
    runtime = LocalRuntime(
        Settings(sqlite_path=db, limits=limits_from_env(MANY_CITIZENS)), clock=clock
    )
    gateway = runtime.gateway(app)
    # Its worker delivers the messages the cases write, as the server's does: the only
    # difference left between the two sides is HTTP.
    runtime.start_worker()
    for line in sys.stdin:
        print(_in_process(runtime, gateway, int(line)), flush=True)


# Eight clients stand for many citizens: the abuse limits (one address, one e-mail) would refuse
# them after a minute's quota. Both sides run with the same settings; the limits' counters still
# ride in every case's transaction.
MANY_CITIZENS = {"RATE_LIMIT_PER_ADDRESS": "1000000000", "RATE_LIMIT_PER_IDENTIFIER": "1000000000"}


@contextmanager
def _in_process_child(db: Path) -> Iterator[Callable[[int], float]]:
    env = {**os.environ, "POWERTOOLS_METRICS_DISABLED": "true", "STAGE": "local", **MANY_CITIZENS}
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.local_server", "--in-process", str(db)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    stdin, stdout = child.stdin, child.stdout

    def rate(count: int) -> float:
        stdin.write(f"{count}\n")
        stdin.flush()
        return float(stdout.readline())

    try:
        yield rate
    finally:
        stdin.close()
        child.wait(30)


def _client(port: int, count: int, latencies: list[float], failures: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("POST", "/api/v1/cases", CASE, HEADERS)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            if response.status != 201:
                failures.append(str(response.status))
    except OSError as error:  # refused, reset: the figure is void
        failures.append(repr(error))
    finally:
        connection.close()


def _over_http(port: int, count: int, latencies: list[float], failures: list[str]) -> float:
    each = max(1, count // CLIENTS)
    threads = [
        threading.Thread(target=_client, args=(port, each, latencies, failures))
        for _ in range(CLIENTS)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return each * CLIENTS / (time.perf_counter() - start)


@contextmanager
def _server(db: Path) -> Iterator[int]:
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "SQLITE_PATH": str(db), "SEED": "0", "QUIET": "1"}
    env.update(MANY_CITIZENS)
    env["POWERTOOLS_METRICS_DISABLED"] = "true"
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.server"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the local server did not start")


def run(scale: int) -> list[Result]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        _server(Path(tmp) / "server.db") as port,
        _in_process_child(Path(tmp) / "bench.db") as in_process,
    ):
        latencies: list[float] = []
        failures: list[str] = []
        ratios, http_rates, local_rates = [], [], []
        in_process(20)  # warm up both paths
        _over_http(port, CLIENTS * 4, [], [])
        each = max(CLIENTS * 10, scale)
        for n in range(ROUNDS):  # the side that goes first alternates
            if n % 2:
                http_rates.append(_over_http(port, each, latencies, failures))
                _settle()
                local_rates.append(in_process(each))
            else:
                local_rates.append(in_process(each))
                _settle()
                http_rates.append(_over_http(port, each, latencies, failures))
            _settle()
            ratios.append(http_rates[-1] / local_rates[-1])
    return _results(ratios, http_rates, local_rates, latencies, failures)


def _settle() -> None:
    """Both sides' workers deliver a round's messages on their next tick (every second): each
    round starts once they have, so neither side's deliveries run in the other's round (both
    share the machine's two cores)."""
    time.sleep(WORKER_TICK * 1.5)


WORKER_TICK = 1.0


def _results(ratios, http_rates, local_rates, latencies, failures) -> list[Result]:
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    p50 = statistics.median(latencies) * 1000
    print(
        f"local server, {CLIENTS} keep-alive clients: ratio to in-process per round "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"{len(latencies)} requests, failures {len(failures)} {failures[:3]}",
        flush=True,
    )
    throughput = Result(
        f"submit a case over HTTP, {CLIENTS} keep-alive clients",
        "/s",
        statistics.median(http_rates),
        "in process, same gateway, one client",
        statistics.median(local_rates),
        statistics.median(ratios),
        rounds=ratios,
    )
    # The latency's limit: one in-process submission (what the server adds is the rest).
    latency = Result(
        "p95 of one submission over HTTP",
        "ms",
        p95,
        "one in-process submission",
        1000 / statistics.median(local_rates),
    )
    refused = Result(
        "connections refused or reset, or answers not 201",
        "",
        len(failures),
        "none",
        0,
        ratio=0.0,
    )
    return [
        at_least(throughput, 0.6),
        value_at_most(latency, 20, "< 20 ms"),
        value_at_most(refused, 0, "0"),
    ]


if __name__ == "__main__":
    import logging

    logging.disable(logging.INFO)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    if sys.argv[1:2] == ["--in-process"]:
        _serve_in_process(sys.argv[2])
    else:
        from bench.harness import report

        report(run(300))

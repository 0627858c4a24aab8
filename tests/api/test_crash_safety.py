"""Killing the local server (SIGKILL, no chance to clean up) in the middle of a burst of case
submissions loses none that were answered 201: after a restart over the same SQLite file,
every reference the citizens were given can be tracked with its token."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from support import CASE_BODY

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 6
KILL_AFTER = 25  # answers before the kill: the rest of the burst is in flight


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "STAGE": "local",
        "SQLITE_PATH": str(store),
        "PORT": str(port),
        "SEED": "0",
        "QUIET": "1",
        # One test client stands for many citizens: the abuse limits are not what is tested.
        "RATE_LIMIT_PER_ADDRESS": "100000",
        "RATE_LIMIT_PER_IDENTIFIER": "100000",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "devtools.server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)  # waiting for a real process to listen, not for a deadline
    server.kill()
    raise AssertionError("the local server did not start")


def submit(port: int) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = json.dumps(CASE_BODY).encode()
        connection.request("POST", "/api/v1/cases", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def track(port: int, reference: str, token: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", f"/api/v1/cases/{reference}", headers={"X-Tracking-Token": token})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_killed_server_loses_no_submission_it_answered_201(tmp_path):
    store, port = tmp_path / "store.db", free_port()
    server = start_server(store, port)
    answered: list[dict] = []
    lock, enough = threading.Lock(), threading.Event()

    def writer() -> None:
        while True:
            try:
                status, receipt = submit(port)
            except OSError:
                return  # the server is gone: an unanswered submission promised nothing
            if status == 201:
                with lock:
                    answered.append(receipt)
                    if len(answered) >= KILL_AFTER:
                        enough.set()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        assert enough.wait(60), f"only {len(answered)} answers before the timeout"
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        server.kill()
    for thread in threads:
        thread.join(15)

    port = free_port()
    restarted = start_server(store, port)
    try:
        statuses = [track(port, r["reference"], r["tracking_token"]) for r in answered]
    finally:
        restarted.terminate()
        restarted.wait(10)

    assert len(answered) >= KILL_AFTER
    assert statuses == [200] * len(answered)

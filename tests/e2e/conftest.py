"""A real browser (Debian's chromium, driven by Playwright) against the real local server.

The server is devtools.server over a fresh SQLite store and a movable clock, on a free port;
the site is built from frontend/ into a temporary folder so the tests see the sources as they are.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from browser_checks import AXE, AXE_LOG

from chalicelib import bootstrap
from chalicelib.clock import MovableClock
from chalicelib.config import Settings
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.limits import Limits
from devtools import dev_routes
from devtools.runtime import LocalRuntime
from devtools.seed import seed_roster
from devtools.server import serve


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}


def _require(condition: bool, what: str) -> None:
    """Missing tools fail the run; only an explicit E2E_SKIP=1 turns that into a skip."""
    if condition:
        return
    if os.environ.get("E2E_SKIP") == "1":
        pytest.skip(f"{what} (E2E_SKIP=1)")
    pytest.fail(f"{what}: `make test` installs it (apt chromium, npm ci in frontend/)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Site:
    url: str
    runtime: LocalRuntime

    def api(self, method: str, path: str, body: Any = None, **headers: str) -> requests.Response:
        return requests.request(
            method, f"{self.url}/api/v1{path}", json=body, headers=headers, timeout=10
        )

    def token(self, user: str) -> str:
        response = self.api("POST", "/dev/token", {"user": user})
        response.raise_for_status()
        return response.json()["token"]

    def as_agent(self, user: str, method: str, path: str, body: Any = None) -> requests.Response:
        return self.api(method, path, body, Authorization=f"Bearer {self.token(user)}")

    def rebind(self) -> None:
        # Other suites in the same worker may have wired their own runtime into the app.
        bootstrap.use(self.runtime.ctx, self.runtime.settings)
        dev_routes.RUNTIME.update(
            clock=self.runtime.clock,
            outbox=self.runtime.outbox,
            on_clock_moved=self.runtime.run_due,
        )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing")
    _require(AXE.exists(), f"{AXE} is missing")
    os.environ.setdefault("QUIET", "1")
    from frontend.build import build

    work = tmp_path_factory.mktemp("e2e")
    dist = work / "dist"
    build(dist, {})
    # One browser session books for many made-up citizens with the same few contacts; the
    # abuse limits have their own tests (tests/api/test_rate_limits.py, test_appointment_cap.py).
    unlimited = Limits(
        writes_per_address=10**6, writes_per_identifier=10**6, active_appointments=10**6
    )
    settings = Settings(sqlite_path=str(work / "store.db"), limits=unlimited)
    # A Tuesday morning in office hours, moving with real time like the demo server.
    clock = MovableClock(_start(), frozen=False)
    runtime = LocalRuntime(settings, clock=clock)
    seed_roster(runtime.ctx)  # the local stage's demo agents, as `make run` seeds them
    port = _free_port()
    server = serve(port, runtime, site=dist)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{port}", runtime)
    server.shutdown()
    server.server_close()
    shutil.rmtree(work, ignore_errors=True)


def _start():
    from datetime import datetime

    return datetime(2026, 12, 1, 9, 0, tzinfo=ATHENS)


@pytest.fixture(scope="session", autouse=True)
def axe_report() -> Iterator[None]:
    """Writes every page's axe findings (all impacts) for review next to the screenshots."""
    yield
    if AXE_LOG:
        out = ROOT / "test-artifacts" / f"axe-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(AXE_LOG, ensure_ascii=False, indent=1), "utf-8")


@pytest.fixture(scope="session")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    site.rebind()
    context = browser.new_context(viewport=DESKTOP, locale="el-GR", timezone_id="Europe/Athens")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"script errors on the page: {errors}"

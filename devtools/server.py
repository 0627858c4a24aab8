"""`make run`: the API at /api/v1 and the static site at / on one port, over the local store.

In AWS, CloudFront does the same split: /api/* to API Gateway (stage `api`), the rest to S3.
"""

from __future__ import annotations

import mimetypes
import os
import re
import socket
import sys
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from chalicelib.api.i18n import language_of
from chalicelib.api.problems import Problem, problem_response
from chalicelib.config import settings_from_env
from chalicelib.observability import logger
from devtools.runtime import LocalRuntime

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "frontend" / "dist"
PLACEHOLDER = ROOT / "devtools" / "placeholder.html"

MAX_BODY = 1024 * 1024  # far above any form the API takes; API Gateway's own limit is 10 MB
TIMEOUT = 30.0  # seconds a connection may sit silent (mid-body or idle between requests)

Answer = tuple[int, dict[str, str], bytes]


def problem_answer(problem: Problem, language: str, **headers: str) -> Answer:
    response = problem_response(problem, language)
    return response.status_code, {**response.headers, **headers}, response.body.encode()


def read_body(headers: Message, rfile: BinaryIO) -> bytes | None:
    """The body its Content-Length announces; a Problem when that cannot be trusted."""
    values = headers.get_all("content-length") or []
    if not values:
        return None
    value = values[0].strip()
    if len(set(values)) > 1 or not (value.isascii() and value.isdigit()):
        raise Problem(400, "bad-request")
    length = int(value)
    if length > MAX_BODY:
        raise Problem(413, "too-large")
    try:
        body = rfile.read(length) if length else b""
    except TimeoutError:  # the rest never came: give the worker back
        raise Problem(400, "bad-request") from None
    if len(body) < length:
        raise Problem(400, "bad-request")
    return body or None


class LocalServer(ThreadingHTTPServer):
    """One thread per connection; only the app itself is called one request at a time."""

    daemon_threads = True
    request_queue_size = 1024  # a burst of connections waits to be accepted, never reset

    def __init__(
        self, port: int, runtime: LocalRuntime, gateway: Any, site: Path, timeout: float
    ) -> None:
        self.runtime, self.gateway, self.site = runtime, gateway, site
        self.connection_timeout = timeout  # (BaseServer.timeout is for handle_request)
        super().__init__(("127.0.0.1", port), Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        # Small answers leave at once instead of waiting for the client's delayed ACK.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


# A query string may hold a token (the calendar link's); the access log keeps the path only.
QUERY = re.compile(r"\?[^ ]*")


class Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"
    server_version = "citizen-service-local"
    # Headers and body are buffered and leave in one write (flushed in _dispatch).
    wbufsize = 64 * 1024

    def setup(self) -> None:
        self.timeout = self.server.connection_timeout
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("QUIET") != "1":
            line = QUERY.sub("?…", format % args)
            sys.stderr.write(f"{self.address_string()} {line}\n")

    def _api(self) -> None:
        language = language_of(self.headers.get("accept-language"))
        try:
            body = read_body(self.headers, self.rfile)
        except Problem as refused:
            self.close_connection = True  # the framing is lost: the next byte means nothing
            self._answer(*problem_answer(refused, language, Connection="close"))
            return
        self._answer(*self._call_app(body, language))

    def _call_app(self, body: bytes | None, language: str) -> Answer:
        # http.server decodes the request line as latin-1; undo that for UTF-8 typed in
        # a query string by hand (browsers percent-encode).
        path = self.path.encode("latin-1").decode("utf-8", "replace")[len("/api") :]
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = self.server.runtime.answer(
            self.server.gateway, self.command, path, headers, body, self.client_address[0]
        )
        return answer.status, answer.headers, answer.body

    def _answer(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _static(self) -> None:
        site = self.server.site
        relative = urlsplit(self.path).path.lstrip("/")
        target = (site / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not site.exists() and relative in ("", "index.html"):
            target = PLACEHOLDER
        elif site.resolve() not in target.parents or not target.is_file():
            self._not_found(site, relative)
            return
        data = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self._answer(200, {"Content-Type": ctype, "Cache-Control": "no-cache"}, data)

    def _not_found(self, site: Path, relative: str) -> None:
        """The site's own "page not found" in the address's language (as CloudFront's
        custom error response does with /404.html)."""
        lang = "en" if relative.startswith("en/") else "el"
        page = site / lang / "404.html"
        if not page.is_file():
            self.send_error(404)
            return
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"}
        self._answer(404, headers, page.read_bytes())

    def _dispatch(self) -> None:
        try:
            if self.path.startswith("/api/"):
                self._api()
            elif self.command in ("GET", "HEAD"):
                self._static()
            else:
                self.send_error(405)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away mid-answer (a navigation); nothing to tell it

    def __getattr__(self, name: str) -> Any:
        # Every method goes to the same place: the API answers an unknown one with 405,
        # as API Gateway would, instead of http.server's 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)


def serve(
    port: int, runtime: LocalRuntime, site: Path = SITE, *, timeout: float = TIMEOUT
) -> LocalServer:
    from app import app

    return LocalServer(port, runtime, runtime.gateway(app), site, timeout)


def main() -> None:
    # Links in messages (tracking, manage, calendar) point at this server unless told otherwise.
    os.environ.setdefault("PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
    settings = settings_from_env()
    runtime = LocalRuntime(settings)
    if os.environ.get("SEED", "1") == "1":
        from devtools.seed import seed_once

        seed_once(runtime)
    runtime.start_worker()
    port = int(os.environ.get("PORT", "8000"))
    server = serve(port, runtime)
    logger.info("serving", extra={"url": f"http://127.0.0.1:{port}/", "store": runtime.table.kind})
    print(
        f"Citizen service platform on http://127.0.0.1:{port}/  (API: /api/v1, store: "
        f"{runtime.table.kind})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()


if __name__ == "__main__":
    main()

"""`make run`: the API at /api/v1 and the static site at / on one port, over the local store.

In AWS, CloudFront does the same split: /api/* to API Gateway (stage `api`), the rest to S3.
"""

from __future__ import annotations

import mimetypes
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chalicelib.config import settings_from_env
from chalicelib.observability import logger
from devtools.runtime import LocalRuntime

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "frontend" / "dist"
PLACEHOLDER = ROOT / "devtools" / "placeholder.html"


def make_handler(runtime: LocalRuntime, gateway: Any, site: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "citizen-service-local"

        def log_message(self, format: str, *args: Any) -> None:
            if os.environ.get("QUIET") != "1":
                sys.stderr.write(f"{self.address_string()} {format % args}\n")

        def _api(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            # http.server decodes the request line as latin-1; undo that for UTF-8 typed in
            # a query string by hand (browsers percent-encode).
            path = self.path.encode("latin-1").decode("utf-8", "replace")[len("/api") :]
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = runtime.answer(gateway, self.command, path, headers, body)
            status, out_headers, data = answer.status, answer.headers, answer.body
            self.send_response(status)
            for name, value in out_headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _static(self) -> None:
            relative = urlsplit(self.path).path.lstrip("/")
            target = (site / relative).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not site.exists() and relative in ("", "index.html"):
                target = PLACEHOLDER
            elif site.resolve() not in target.parents or not target.is_file():
                self.send_error(404)
                return
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                ctype += "; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _dispatch(self) -> None:
            try:
                if self.path.startswith("/api/"):
                    self._api()
                elif self.command in ("GET", "HEAD"):
                    self._static()
                else:
                    self.send_error(405)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went away mid-answer (a navigation); nothing to tell it

        def __getattr__(self, name: str) -> Any:
            # Every method goes to the same place: the API answers an unknown one with 405,
            # as API Gateway would, instead of http.server's 501.
            if name.startswith("do_"):
                return self._dispatch
            raise AttributeError(name)

    return Handler


def serve(port: int, runtime: LocalRuntime, site: Path = SITE) -> ThreadingHTTPServer:
    from app import app

    gateway = runtime.gateway(app)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(runtime, gateway, site))
    server.daemon_threads = True
    return server


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

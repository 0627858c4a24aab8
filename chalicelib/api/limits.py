"""``public_write``: the one line that puts a public write under the abuse limits.

    @endpoint(bp, "/surveys/{survey_id}", methods=["POST"])
    @public_write(bp)
    def answer_survey(survey_id): ...

The request is counted against its client address (``client_address``: the viewer's address
CloudFront vouches for, else API Gateway's ``requestContext.identity.sourceIp``; the local
server passes the peer's address the same way)
and against each citizen identifier its body names (``citizen.amka|phone|email`` and top-level
``phone``/``email``), in the transaction of the change it writes. Over a limit the view's
answer is 429 ``/problems/rate-limited`` with ``Retry-After``, and nothing is changed.
"""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Callable
from typing import Any

from chalice import Blueprint
from chalice.app import Request

from chalicelib import bootstrap
from chalicelib.services import limits

Identifiers = list[tuple[str, str]]
KINDS = ("amka", "phone", "email")


def client_address(request: Request) -> str | None:
    """Who sent the request. Behind CloudFront, API Gateway's ``sourceIp`` is the edge's address,
    shared by every citizen it serves: the viewer's own (``X-Viewer-Address``, set by a CloudFront
    function) counts instead, but only on a request that proves it came through CloudFront with
    the origin secret; a client calling the API directly cannot choose its address."""
    headers = request.headers or {}
    secret = bootstrap.settings().origin_secret
    proof = headers.get("x-origin-verify") or ""
    if secret and hmac.compare_digest(proof.encode(), secret.encode()):
        viewer = (headers.get("x-viewer-address") or "").strip()
        if viewer:
            return viewer
    identity = (request.context or {}).get("identity") or {}
    return identity.get("sourceIp") or None


def json_identifiers(request: Request) -> Identifiers:
    """The citizen identifiers a JSON body names; a body that is not JSON names none (the view
    refuses it)."""
    try:
        data = json.loads(request.raw_body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    citizen = data.get("citizen")
    found = [(k, data[k]) for k in KINDS if isinstance(data.get(k), str)]
    if isinstance(citizen, dict):
        found += [(k, citizen[k]) for k in KINDS if isinstance(citizen.get(k), str)]
    return found


def public_write(
    bp: Blueprint, identifiers: Callable[[Request], Identifiers] = json_identifiers
) -> Callable:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request = bp.current_request
            found = identifiers(request)
            with limits.metered(bootstrap.context(), client_address(request), found):
                return view(*args, **kwargs)

        return wrapped

    return decorator

"""``public_write``: the one line that puts a public write under the abuse limits.

    @endpoint(bp, "/surveys/{survey_id}", methods=["POST"])
    @public_write(bp)
    def answer_survey(survey_id): ...

The request is counted against its client address (API Gateway's
``requestContext.identity.sourceIp``; the local server passes the peer's address the same way)
and against each citizen identifier its body names (``citizen.amka|phone|email`` and top-level
``phone``/``email``), in the transaction of the change it writes. Over a limit the view's
answer is 429 ``/problems/rate-limited`` with ``Retry-After``, and nothing is changed.
"""

from __future__ import annotations

import functools
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

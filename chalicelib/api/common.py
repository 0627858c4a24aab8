"""Small helpers the blueprints share: the context, the caller, idempotency keys."""

from __future__ import annotations

import hashlib
import json
from typing import TypeVar

from chalice import Blueprint
from chalice.app import Request
from pydantic import BaseModel

from chalicelib import bootstrap
from chalicelib.api.auth import current_agent
from chalicelib.api.problems import Problem, read_body, read_query
from chalicelib.domain.directory import Agent
from chalicelib.services.context import Context
from chalicelib.services.retries import Idempotency


def ctx() -> Context:
    return bootstrap.context()


def agent_of(request: Request) -> Agent:
    """The caller, with the agencies their teams serve (the scope of a supervisor's powers)."""
    return ctx().directory.scoped(current_agent(request, bootstrap.settings()))


M = TypeVar("M", bound=BaseModel)


def agent_and_body(bp: Blueprint, model: type[M]) -> tuple[Agent, M]:
    """The signed-in caller, then the body: one who is not signed in is refused before
    anything they sent is judged."""
    request = bp.current_request
    return agent_of(request), read_body(request, model)


def agent_and_query(bp: Blueprint, model: type[M]) -> tuple[Agent, M]:
    """As ``agent_and_body``, for the query string."""
    request = bp.current_request
    return agent_of(request), read_query(request, model)


def tracking_token(bp: Blueprint) -> str | None:
    """The X-Tracking-Token a citizen shows with the reference of their case or callback."""
    return bp.current_request.headers.get("x-tracking-token")


def idempotency_of(request: Request, body: BaseModel) -> Idempotency | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 100 or not key.isprintable():
        raise Problem(
            422,
            "validation",
            [{"field": "Idempotency-Key", "message": "1-100 printable characters"}],
        )
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return Idempotency(key, hashlib.sha256(canonical.encode()).hexdigest())

"""The published OpenAPI document. Each blueprint describes its routes here with
``describe``; a test checks that the document and the app's routes are the same set.
``openapi_build`` turns the descriptions into the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalice import Blueprint
from pydantic import BaseModel

from chalicelib.api.openapi_build import build
from chalicelib.api.problems import json_response

bp = Blueprint(__name__)

# Headers a route reads, by the name ``describe(headers=...)`` uses.
TRACKING = "X-Tracking-Token"
MANAGE = "X-Manage-Token"
IDEMPOTENCY = "Idempotency-Key"


@dataclass(frozen=True)
class Link:
    """An answer's field that another operation takes: ``parameters`` maps that operation's
    parameters (``path.code``, ``header.X-Manage-Token``) to runtime expressions
    (``$response.body#/code``)."""

    method: str
    path: str
    parameters: dict[str, str]
    prefix: str = "/v1"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    body: type[BaseModel] | None = None
    agent: bool = False
    created: bool = False
    tag: str = "cases"
    response: type[BaseModel] | None = None
    # Where the route is mounted under /api, and how it refuses (problem+json unless told).
    prefix: str = "/v1"
    errors: dict[str, Any] | None = None
    # The query string as a model (its fields and aliases are the parameters).
    query: type[BaseModel] | None = None
    # Headers the route reads (besides Accept-Language and Authorization): name -> required.
    headers: dict[str, bool] = field(default_factory=dict)
    # Path parameters' schemas where a plain string says too little (an enum of actions).
    path_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The answer is a list of ``response``; or another media type; or another status.
    many: bool = False
    media: str | tuple[str, ...] = "application/json"
    status: int | None = None
    links: dict[str, Link] = field(default_factory=dict)

    @property
    def success(self) -> int:
        return self.status or (201 if self.created else 200)


OPERATIONS: list[Operation] = []


def creates(body: type[BaseModel], receipt: type[BaseModel], *headers: str) -> dict[str, Any]:
    """What a create route says: it reads ``body`` and answers 201 with ``receipt``; a retry
    with the same Idempotency-Key answers the first receipt again. ``headers``: other optional
    headers it reads."""
    optional = dict.fromkeys((IDEMPOTENCY, *headers), False)
    return {"body": body, "created": True, "response": receipt, "headers": optional}


def manage_link(path: str, parameter: str, field: str) -> Link:
    """A link that carries an answer's id and manage token: the item itself is read with GET
    (its path ends at the id), its actions are POSTs."""
    return Link(
        "GET" if path.endswith("}") else "POST",
        path,
        {
            f"path.{parameter}": f"$response.body#/{field}",
            "header.X-Manage-Token": "$response.body#/manage_token",
        },
    )


def describe(
    method: str,
    path: str,
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    agent: bool = False,
    created: bool = False,
    tag: str = "cases",
    response: type[BaseModel] | None = None,
    prefix: str = "/v1",
    errors: dict[str, Any] | None = None,
    query: type[BaseModel] | None = None,
    headers: dict[str, bool] | None = None,
    path_params: dict[str, dict[str, Any]] | None = None,
    many: bool = False,
    media: str | tuple[str, ...] = "application/json",
    status: int | None = None,
    links: dict[str, Link] | None = None,
) -> None:
    """Adds a route to the document (see ``Operation`` for what each argument says)."""
    OPERATIONS.append(
        Operation(
            method.upper(),
            path,
            summary,
            body,
            agent,
            created,
            tag,
            response,
            prefix,
            errors,
            query,
            headers or {},
            path_params or {},
            many,
            media,
            status,
            links or {},
        )
    )


def document() -> dict[str, Any]:
    return build(OPERATIONS)


@bp.route("/openapi.json", methods=["GET"])
def openapi_document():
    return json_response(document())


describe("GET", "/openapi.json", "This document", tag="reference")

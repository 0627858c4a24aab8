"""The published OpenAPI document. Each blueprint describes its routes here with
``describe``; a test checks that the document and the app's routes are the same set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalice import Blueprint
from pydantic import BaseModel

from chalicelib.api.problems import json_response

bp = Blueprint(__name__)


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


OPERATIONS: list[Operation] = []


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
) -> None:
    operation = Operation(
        method.upper(), path, summary, body, agent, created, tag, response, prefix, errors
    )
    OPERATIONS.append(operation)


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, str]:
    """Puts a model's schema (and those it uses) into the components; returns its $ref."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


_PROBLEM = {
    "description": "Problem (RFC 9457)",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _operation(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    """One operation's entry; the schemas of its body and answer (and the models they use)
    join ``schemas``."""
    entry: dict[str, Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": [
            {"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for part in op.path.split("/")
            if part.startswith("{")
        ],
        "responses": {
            "201" if op.created else "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": _ref(op.response, schemas)}
                    if op.response
                    else {}
                },
            },
            "4XX": op.errors or _PROBLEM,
        },
    }
    if op.agent:
        entry["security"] = [{"bearer": []}]
    if op.body is not None:
        entry["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(op.body, schemas)}},
        }
    return entry


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for op in OPERATIONS:
        path = paths.setdefault(f"/api{op.prefix}{op.path}", {})
        path[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Citizen service platform",
            "version": "1.0.0",
            "description": "Case intake, appointments and callbacks. "
            "Errors are application/problem+json; Accept-Language el|en.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


@bp.route("/openapi.json", methods=["GET"])
def openapi_document():
    return json_response(document())


describe("GET", "/openapi.json", "This document", tag="reference")

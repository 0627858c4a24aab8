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
    prefix: str = "/v1",
    errors: dict[str, Any] | None = None,
) -> None:
    OPERATIONS.append(
        Operation(method.upper(), path, summary, body, agent, created, tag, prefix, errors)
    )


_PROBLEM = {
    "description": "Problem (RFC 9457)",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {
        "Problem": {
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
    }
    for op in OPERATIONS:
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
                    "content": {"application/json": {}},
                },
                "4XX": op.errors or _PROBLEM,
            },
        }
        if op.agent:
            entry["security"] = [{"bearer": []}]
        if op.body is not None:
            name = op.body.__name__
            schema = op.body.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[name] = schema
            entry["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                },
            }
        paths.setdefault(f"/api{op.prefix}{op.path}", {})[op.method.lower()] = entry
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

"""Builds the OpenAPI 3.1 document from the routes' descriptions (``openapi.describe``):
parameters (path, query, headers), bodies and answers from the pydantic models,
problem+json refusals, bearer security for staff routes, and links between operations."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from chalicelib.api.openapi import Operation

REF = "#/components/schemas/{model}"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "pattern": "^/problems/[a-z0-9-]+$"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
PROBLEM = {
    "description": "Problem (RFC 9457), titles in the caller's language",
    "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
}
STORE_BUSY = {**PROBLEM, "description": "The store is busy (/problems/store-busy, Retry-After)"}

# What a path parameter looks like, by its name. References are Crockford base32 with a
# check symbol (C-7K3M-9Q2XH); a mistyped one is answered 404, like an unknown one.
_REFERENCE = {"type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z -]{0,39}$"}
_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,59}$"}
PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "reference": _REFERENCE,
    "code": _REFERENCE,
    "entry": _REFERENCE,
    "branch": _ID,
    "key_id": {"type": "string", "pattern": "^[0-9A-Za-z_-]{1,64}$"},
    "day": {"type": "string", "format": "date"},
    "service_file": {"type": "string", "pattern": "^[a-z0-9._-]{1,80}\\.(json|xml)$"},
    "request_file": {"type": "string", "pattern": "^[0-9A-Za-z-]{1,40}\\.(json|xml)$"},
}

HEADER_TEXT = {
    "X-Tracking-Token": "The case's (or callback's) tracking token from its receipt; a wrong "
    "or missing one is a 404, the same as an unknown reference",
    "X-Manage-Token": "The booking's (or waitlist entry's) manage token from its receipt",
    "Idempotency-Key": "A retry with the same key and body gets the first answer; the same "
    "key with another body is a 422",
}
HEADER_SCHEMAS = {
    "Idempotency-Key": {"type": "string", "minLength": 1, "maxLength": 100},
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of problem titles and messages: el (the default) or en",
    "schema": {"type": "string", "enum": ["el", "en"]},
}


def operation_id(method: str, path: str) -> str:
    return method.lower() + re.sub(r"[^0-9a-zA-Z]+", "_", path).rstrip("_")


def _ref(model: type[BaseModel], schemas: dict[str, Any], mode: str) -> dict[str, str]:
    """Puts a model's schema (and those it uses) into the components; returns its $ref."""
    schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _query(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if prop.get("type") == "array":
            param.update(style="form", explode=False)  # a,b: as the routes read them
        params.append(param)
    return params


def _parameters(op: Operation) -> list[dict[str, Any]]:
    path = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": op.path_params.get(name) or PATH_SCHEMAS.get(name, {"type": "string"}),
        }
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    headers = [
        {
            "name": name,
            "in": "header",
            "required": required,
            "description": HEADER_TEXT.get(name, ""),
            "schema": HEADER_SCHEMAS.get(name, {"type": "string", "minLength": 1}),
        }
        for name, required in op.headers.items()
    ]
    query = _query(op.query) if op.query else []
    return path + query + headers + [ACCEPT_LANGUAGE]


def _success(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "OK"}
    if op.success == 204:
        return answer
    schema: dict[str, Any] = {}
    if op.response is not None:
        schema = _ref(op.response, schemas, "serialization")
        if op.many:
            schema = {"type": "array", "items": schema}
    medias = (op.media,) if isinstance(op.media, str) else op.media
    text = {"type": "string"}
    answer["content"] = {m: {"schema": text if m.startswith("text/") else schema} for m in medias}
    if op.links:
        answer["links"] = {
            name: {
                "operationId": operation_id(link.method, f"/api{link.prefix}{link.path}"),
                "parameters": link.parameters,
            }
            for name, link in op.links.items()
        }
    return answer


def _operation(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    """One operation's entry; the schemas of its body and answer (and the models they use)
    join ``schemas``."""
    responses = {str(op.success): _success(op, schemas), "4XX": op.errors or PROBLEM}
    if op.errors is None:
        responses["503"] = STORE_BUSY
    entry: dict[str, Any] = {
        "operationId": operation_id(op.method, f"/api{op.prefix}{op.path}"),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op),
        "responses": responses,
    }
    if op.agent:
        entry["security"] = [{"bearer": []}]
    if op.body is not None:
        entry["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(op.body, schemas, "validation")}},
        }
    return entry


def build(operations: list[Operation]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for op in operations:
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
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Staff: Cognito in AWS; `make token USER=<id>` locally",
                }
            },
        },
    }

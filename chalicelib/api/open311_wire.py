"""How Open311 GeoReport v2 speaks: JSON or XML by the path's suffix, and its own errors.

Civic clients parse the specification's error list, not problem+json, so every refusal under
/open311 is ``[{"code": 400, "description": "..."}]`` (JSON) or ``<errors><error>`` (XML),
with the HTTP status of the first error. The status and wording come from the same table as
the rest of the API (``problems.problem_of``); only the envelope differs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from chalice import Blueprint, Response
from pydantic import ValidationError

from chalicelib.api.i18n import field_message, language_of, title
from chalicelib.api.problems import Problem, problem_of
from chalicelib.domain.errors import DomainError, RateLimited
from chalicelib.domain.identifiers import InvalidIdentifier
from chalicelib.observability import logger

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
BODY_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain"]
# The element a list's items take in XML, by the list's own element.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# The platform's field names as an Open311 client knows them.
FIELDS = {
    "agency": "service_code",
    "topic": "service_code",
    "consent": "attribute[consent]",
    "citizen": "email",
    "citizen.full_name": "first_name",
    "citizen.amka": "attribute[amka]",
    "citizen.email": "email",
    "citizen.phone": "phone",
}


class Refusal(Exception):
    """An Open311 error raised by a view: its HTTP status and what the client is told."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _element(name: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        element.extend(_element(ITEMS.get(name, "item"), item) for item in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def render(root: str, value: Any, fmt: str, status: int = 200) -> Response:
    """``value`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        body = ElementTree.tostring(_element(root, value), encoding="unicode")
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    else:
        body = json.dumps(value, ensure_ascii=False)
    return Response(body=body, status_code=status, headers={"Content-Type": CONTENT_TYPES[fmt]})


def errors_response(status: int, descriptions: list[str], fmt: str) -> Response:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render("errors", errors, fmt, status)


def _refusal_of(error: Exception, language: str) -> tuple[int, list[str]]:
    if isinstance(error, Refusal):
        return error.status, [error.description]
    if isinstance(error, InvalidIdentifier):
        message = field_message(error.code, language)
        error = Problem(422, "validation", [{"field": "", "message": message}])
    problem = problem_of(error, language)
    # The specification's word for input it cannot take is 400, whatever the rule broken.
    status = 400 if problem.status == 422 else problem.status
    if problem.errors:
        texts = [f"{FIELDS.get(e['field'], e['field'])}: {e['message']}" for e in problem.errors]
        return status, texts
    return status, [problem.detail or title(problem.problem, language)]


def language(request: Any) -> str:
    locale = (request.query_params or {}).get("locale")
    return language_of(locale or request.headers.get("accept-language"))


def _answer(bp: Blueprint, path: str, view: Callable[..., Response], *args: Any) -> Response:
    fmt = args[-1]
    try:
        return view(*args)
    except (DomainError, ValidationError, Problem, Refusal, InvalidIdentifier) as error:
        status, texts = _refusal_of(error, language(bp.current_request))
        logger.info("open311 request refused", extra={"status": status, "path": path})
        answer = errors_response(status, texts, fmt)
        if isinstance(error, RateLimited):
            answer.headers.update(problem_of(error, "el").headers)  # Retry-After
        return answer


def listing(bp: Blueprint, base: str, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Registers ``base.json`` and ``base.xml``; the view gets the format."""

    def decorator(view: Callable[..., Response]) -> Callable[..., Response]:
        for fmt in FORMATS:

            def handler(fmt: str = fmt) -> Response:
                return _answer(bp, base, view, fmt)

            name = f"{view.__name__}_{fmt}"
            bp.route(f"{base}.{fmt}", methods=list(methods), name=name, **_types(methods))(handler)
        return view

    return decorator


def item(bp: Blueprint, base: str, param: str) -> Callable:
    """Registers ``base/{param}`` for ``<id>.json`` and ``<id>.xml``; the view gets both."""

    def decorator(view: Callable[..., Response]) -> Callable[..., Response]:
        def handler(**kwargs: str) -> Response:
            value, _, fmt = kwargs[param].rpartition(".")
            if fmt not in FORMATS:
                return errors_response(404, ["Not found: end the path in .json or .xml"], "json")
            return _answer(bp, base, view, value, fmt)

        bp.route(f"{base}/{{{param}}}", methods=["GET"], name=view.__name__)(handler)
        return view

    return decorator


def _types(methods: tuple[str, ...]) -> dict[str, Any]:
    return {"content_types": BODY_TYPES} if "POST" in methods else {}

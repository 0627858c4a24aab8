"""Open311 GeoReport v2: civic client applications file and follow requests.

Base /api/open311/v2/ (discovery at /api/open311/discovery.json). Services are agencies'
topics; a request is a case on channel ``open311``. Errors use the specification's list
(see open311_wire), not problem+json.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.case_schemas import CaseIn
from chalicelib.api.common import ctx
from chalicelib.api.limits import public_write
from chalicelib.api.open311_views import (
    attributes,
    request_view,
    requests_filter,
    service_view,
)
from chalicelib.api.open311_wire import Refusal, item, language, listing, render
from chalicelib.api.openapi import describe
from chalicelib.domain.local_time import shown_day
from chalicelib.domain.open311 import UnknownService
from chalicelib.domain.references import InvalidReference, normalise_reference
from chalicelib.services import open311 as service
from chalicelib.services.case_intake import SubmitCase

bp = Blueprint(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
NOTICE = ("Θα λάβετε απάντηση έως {due}.", "An answer is due by {due}.")


@listing(bp, "/discovery")
def discovery(fmt: str) -> Response:
    base = f"{ctx().public_url}/api/open311/v2/"
    return render(
        "discovery",
        {
            "changeset": "2026-01-01T00:00:00+02:00",
            "contact": "Open311 support: open311@citizen-service.local",
            "key_service": "API keys are issued by the platform's administrators.",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": "2026-01-01T00:00:00+02:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        fmt,
    )


@listing(bp, "/v2/services")
def services(fmt: str) -> Response:
    lang = language(bp.current_request)
    return render("services", [service_view(s, lang) for s in service.services(ctx())], fmt)


@item(bp, "/v2/services", "service_file")
def service_definition(code: str, fmt: str) -> Response:
    found = service.service(ctx(), code)
    lang = language(bp.current_request)
    definition = {"service_code": found.code, "attributes": attributes(lang)}
    return render("service_definition", definition, fmt)


def _identifiers(request: Request) -> list[tuple[str, str]]:
    fields = _fields(request)
    given = [("email", "email"), ("phone", "phone"), ("amka", "attribute[amka]")]
    return [(kind, fields[name]) for kind, name in given if isinstance(fields.get(name), str)]


def _fields(request: Request) -> dict[str, Any]:
    return {**(request.query_params or {}), **_form(request.raw_body, request.headers)}


@listing(bp, "/v2/requests", methods=("POST",))
@public_write(bp, identifiers=_identifiers)
def file_request(fmt: str) -> Response:
    request = bp.current_request
    lang = language(request)
    fields = _fields(request)
    client = service.client_of(ctx(), fields.get("api_key"))  # 403 before looking further
    try:
        found = service.service(ctx(), fields.get("service_code", ""))
    except UnknownService:
        raise Refusal(400, "service_code: unknown or missing service_code") from None
    body = CaseIn.model_validate(_case_body(fields, found, lang))
    command = SubmitCase(
        found.agency.id,
        found.topic.id,
        body.subject,
        body.description,
        body.language,
        body.citizen.to_domain(),
    )
    receipt = service.file_request(ctx(), client, command)
    due = shown_day(date.fromisoformat(receipt["promised_by"]))
    answer = {
        "service_request_id": receipt["reference"],
        "service_notice": NOTICE[lang == "en"].format(due=due),
        "account_id": None,
    }
    return render("service_requests", [answer], fmt, 201)


@listing(bp, "/v2/requests")
def find_requests(fmt: str) -> Response:
    query = bp.current_request.query_params or {}
    ids = [_reference(i) for i in query.get("service_request_id", "").split(",") if i.strip()]
    if not ids:
        raise Refusal(400, "service_request_id: give one or more ids, separated by commas")
    keep = requests_filter(query)
    lang = language(bp.current_request)
    found = [request_view(c, ctx(), lang) for c in service.requests(ctx(), filter(None, ids))]
    return render("service_requests", [r for r in found if keep(r)], fmt)


@item(bp, "/v2/requests", "request_file")
def one_request(request_id: str, fmt: str) -> Response:
    reference = _reference(request_id)
    if reference is None:
        raise Refusal(404, f"service_request_id: no request {request_id}")
    case = service.request(ctx(), reference)
    return render(
        "service_requests", [request_view(case, ctx(), language(bp.current_request))], fmt
    )


def _reference(raw: str) -> str | None:
    try:
        return normalise_reference(raw.strip())
    except InvalidReference:
        return None


def _form(raw: bytes | None, headers: Any) -> dict[str, Any]:
    """The body as the specification sends it (a form), or as JSON; 400 if neither."""
    text = (raw or b"").decode("utf-8", "replace")
    if "json" in (headers.get("content-type") or ""):
        try:
            data = json.loads(text) if text else {}
        except (ValueError, RecursionError):
            raise Refusal(400, "The body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Refusal(400, "The body must be a JSON object")
        return {name: _scalar(name, value) for name, value in data.items() if value is not None}
    return dict(parse_qsl(text, keep_blank_values=True))


def _scalar(name: str, value: Any) -> str:
    """A JSON value as the form would have sent it: every field is a text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise Refusal(400, f"{name}: a text, not a list or an object")
    return str(value)


def _case_body(fields: dict[str, Any], found: service.Service, lang: str) -> dict[str, Any]:
    """The site's case form filled from the Open311 fields, so the same checks apply."""
    name = f"{fields.get('first_name') or ''} {fields.get('last_name') or ''}".strip()
    body: dict[str, Any] = {
        "agency": found.agency.id,
        "topic": found.topic.id,
        "subject": found.topic.name.in_(lang),
        "description": fields.get("description") or "",
        "language": lang,
        "citizen": {
            "full_name": name,
            "amka": fields.get("attribute[amka]") or None,
            "email": fields.get("email") or None,
            "phone": fields.get("phone") or None,
        },
    }
    if "attribute[consent]" in fields:
        body["consent"] = fields["attribute[consent]"]
    return body


OPEN311_ERRORS = {
    "description": 'Open311 errors: [{"code": 400, "description": "..."}] or <errors><error>',
    "content": {"application/json": {}, "text/xml": {}},
}


EITHER = ("application/json", "text/xml")


def _describe(method: str, path: str, summary: str, **options: Any) -> None:
    options.setdefault("media", EITHER)
    describe(
        method, path, summary, tag="open311", prefix="/open311", errors=OPEN311_ERRORS, **options
    )


for _fmt, _media in (("json", "application/json"), ("xml", "text/xml")):
    _describe("GET", f"/discovery.{_fmt}", "Open311 service discovery", media=_media)
    _describe(
        "GET",
        f"/v2/services.{_fmt}",
        "Open311 services: agencies' topics (?locale=en)",
        media=_media,
    )
    _describe(
        "POST",
        f"/v2/requests.{_fmt}",
        "File an Open311 request (form-encoded or JSON; api_key, service_code, description, "
        "first_name, last_name, email, phone, attribute[amka], attribute[consent])",
        created=True,
        media=_media,
    )
    _describe(
        "GET",
        f"/v2/requests.{_fmt}",
        "Open311 requests by id (?service_request_id=a,b; also service_code, status, "
        "start_date, end_date)",
        media=_media,
    )
_describe("GET", "/v2/services/{service_file}", "An Open311 service definition (<code>.json|.xml)")
_describe("GET", "/v2/requests/{request_file}", "One Open311 request (<id>.json|.xml)")

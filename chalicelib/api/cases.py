"""Citizen routes of case intake."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.api.case_schemas import (
    CaseIn,
    CaseReceiptOut,
    CaseViewOut,
    ReplyIn,
    citizen_view,
)
from chalicelib.api.common import ctx, idempotency_of, tracking_token
from chalicelib.api.limits import public_write
from chalicelib.api.openapi import TRACKING, Link, creates, describe
from chalicelib.api.problems import endpoint, json_response, read_body
from chalicelib.domain.cases import Case
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.references import InvalidReference, normalise_reference
from chalicelib.services import cases as service
from chalicelib.services.context import Context

bp = Blueprint(__name__)


def reference_of(raw: str) -> str:
    """A mistyped reference (bad check character) is simply not found."""
    try:
        # Path parameters may arrive still percent-encoded (spaces typed by a citizen).
        return normalise_reference(unquote(raw))
    except InvalidReference:
        raise NotFound("case") from None


def _command(body: CaseIn, channel: service.Channel = service.Channel.WEB) -> service.SubmitCase:
    if body.agency not in ctx().directory.agencies:
        raise InvalidInput("agency", "unknown-agency")
    return service.SubmitCase(
        body.agency,
        body.topic,
        body.subject,
        body.description,
        body.language,
        body.citizen.to_domain(),
        channel,
    )


@endpoint(bp, "/cases", methods=["POST"])
@public_write(bp)
def submit_case():
    request = bp.current_request
    body = read_body(request, CaseIn)
    receipt = service.submit_case(
        ctx(),
        _command(body),
        idempotency=idempotency_of(request, body),
    )
    return json_response(receipt, 201)


@endpoint(bp, "/cases/{reference}", methods=["GET"])
def track_case(reference: str):
    token = tracking_token(bp)
    return json_response(citizen_view(service.track_case(ctx(), reference_of(reference), token)))


@endpoint(bp, "/cases/{reference}/reply", methods=["POST"])
@public_write(bp)
def reply(reference: str):
    return _citizen_writes(reference, service.citizen_reply)


@endpoint(bp, "/cases/{reference}/reopen", methods=["POST"])
@public_write(bp)
def reopen(reference: str):
    return _citizen_writes(reference, service.citizen_reopen)


def _citizen_writes(reference: str, act: Callable[[Context, str, str | None, str], Case]):
    token = tracking_token(bp)
    service.track_case(ctx(), reference_of(reference), token)  # 404 before looking at the body
    body = read_body(bp.current_request, ReplyIn)
    return json_response(citizen_view(act(ctx(), reference_of(reference), token, body.text)))


@endpoint(bp, "/cases/{reference}/chase", methods=["POST"])
@public_write(bp)
def chase(reference: str):
    token = tracking_token(bp)
    return json_response(citizen_view(service.chase(ctx(), reference_of(reference), token)))


TRACKED = {TRACKING: True}
describe(
    "POST",
    "/cases",
    "Submit a question or report (public)",
    **creates(CaseIn, CaseReceiptOut),
    links={
        "track": Link(
            "GET",
            "/cases/{reference}",
            {
                "path.reference": "$response.body#/reference",
                "header.X-Tracking-Token": "$response.body#/tracking_token",
            },
        ),
        "chase": Link(
            "POST",
            "/cases/{reference}/chase",
            {
                "path.reference": "$response.body#/reference",
                "header.X-Tracking-Token": "$response.body#/tracking_token",
            },
        ),
    },
)
describe(
    "GET",
    "/cases/{reference}",
    "Track a case (X-Tracking-Token)",
    response=CaseViewOut,
    headers=TRACKED,
)
describe(
    "POST",
    "/cases/{reference}/reply",
    "Answer a request for information",
    body=ReplyIn,
    response=CaseViewOut,
    headers=TRACKED,
)
describe(
    "POST",
    "/cases/{reference}/chase",
    "Chase a case the day after its promised date (409 not-yet-due before; 429 with "
    "Retry-After within the chase interval)",
    response=CaseViewOut,
    headers=TRACKED,
)
describe(
    "POST",
    "/cases/{reference}/reopen",
    "Ask for an answered case to be looked at again",
    body=ReplyIn,
    response=CaseViewOut,
    headers=TRACKED,
)

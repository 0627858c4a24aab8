"""Public reference data: health, agencies and their topics."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.common import ctx
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response
from chalicelib.api.responses import AgencyOut, HealthOut
from chalicelib.domain.calendar import ATHENS

bp = Blueprint(__name__)


@endpoint(bp, "/health", methods=["GET"])
def health():
    context = ctx()
    return json_response(
        {
            "status": "ok",
            "store": context.store_kind,
            "stage": bootstrap.settings().stage,
            "time": context.clock.now().astimezone(ATHENS).isoformat(),
        }
    )


@endpoint(bp, "/agencies", methods=["GET"])
def agencies():
    return json_response(
        [
            {
                "id": a.id,
                "name": {"el": a.name.el, "en": a.name.en},
                "topics": [
                    {"id": t.id, "name": {"el": t.name.el, "en": t.name.en}} for t in a.topics
                ],
            }
            for a in ctx().directory.agencies.values()
        ]
    )


describe(
    "GET", "/health", "Service health and the store in use", tag="reference", response=HealthOut
)
describe(
    "GET", "/agencies", "Agencies and their topics", tag="reference", response=AgencyOut, many=True
)

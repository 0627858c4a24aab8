"""Administrators issue, list and revoke the keys of Open311 client applications.

Under /v1 like every staff route, so its refusals are problem+json. A key is shown once,
when it is issued; afterwards only its last four characters.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from pydantic import Field

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.common import agent_and_body, agent_of, ctx
from chalicelib.api.fields import Strict
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response
from chalicelib.api.responses import IssuedKeyOut, KeysOut
from chalicelib.domain.local_time import iso
from chalicelib.domain.open311 import ApiKey
from chalicelib.services import open311 as service

bp = Blueprint(__name__)


class KeyIn(Strict):
    client: str = Field(min_length=1, max_length=100)


def key_view(key: ApiKey) -> dict[str, Any]:
    return {"id": key.id, "client": key.client, "created": iso(key.created_at), "last4": key.last4}


@endpoint(bp, "/admin/open311/keys", methods=["POST"], **AGENT_ROUTE)
def issue_key():
    agent, body = agent_and_body(bp, KeyIn)
    stored, key = service.new_key(ctx(), agent, body.client)
    return json_response({**key_view(stored), "api_key": key}, 201)


@endpoint(bp, "/admin/open311/keys", methods=["GET"], **AGENT_ROUTE)
def list_keys():
    keys = service.keys(ctx(), agent_of(bp.current_request))
    return json_response({"keys": [key_view(k) for k in keys]})


@endpoint(bp, "/admin/open311/keys/{key_id}", methods=["DELETE"], **AGENT_ROUTE)
def revoke_key(key_id: str):
    service.revoke_key(ctx(), agent_of(bp.current_request), key_id)
    return Response(body="", status_code=204)


describe(
    "POST",
    "/admin/open311/keys",
    "Issue an Open311 client key (admin; shown once)",
    body=KeyIn,
    agent=True,
    created=True,
    tag="open311",
    response=IssuedKeyOut,
)
describe(
    "GET",
    "/admin/open311/keys",
    "Open311 client keys (admin)",
    agent=True,
    tag="open311",
    response=KeysOut,
)
describe(
    "DELETE",
    "/admin/open311/keys/{key_id}",
    "Revoke an Open311 key (admin)",
    agent=True,
    tag="open311",
    status=204,
)

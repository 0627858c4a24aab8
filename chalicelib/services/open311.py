"""Open311 GeoReport v2 use cases: file a request as a case, follow requests, manage keys.

A request becomes a case through the same ``submit_case`` as the site's form (same checks,
same deadlines, same receipt message to the citizen), on channel ``open311``. Only cases
filed through Open311 are shown to Open311 clients: a case filed on the site or by phone is
followed with its tracking token, never through this public interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from chalicelib.domain.cases import Case, Channel
from chalicelib.domain.directory import Agency, Agent, Role, Topic
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.open311 import (
    ApiKey,
    BadApiKey,
    UnknownService,
    agency_and_topic,
    hash_key,
    issue_key,
    service_code,
)
from chalicelib.observability import count, logger
from chalicelib.services.case_intake import SubmitCase, submit_case
from chalicelib.services.context import Context

# Enough for one client's follow-up of its recent requests in one call.
MAX_IDS = 50


@dataclass(frozen=True)
class Service:
    code: str
    agency: Agency
    topic: Topic


def services(ctx: Context) -> list[Service]:
    return [
        Service(service_code(agency.id, topic.id), agency, topic)
        for agency in ctx.directory.agencies.values()
        for topic in agency.topics
    ]


def service(ctx: Context, code: str) -> Service:
    agency_id, topic_id = agency_and_topic(code)
    agency = ctx.directory.agencies.get(agency_id)
    topic = agency.topic(topic_id) if agency else None
    if agency is None or topic is None:
        raise UnknownService(code=code)
    return Service(code, agency, topic)


def client_of(ctx: Context, key: str | None) -> ApiKey:
    found = ctx.open311_keys.by_hash(hash_key(key)) if key else None
    if found is None:
        raise BadApiKey()
    return found


def file_request(ctx: Context, client: ApiKey, command: SubmitCase) -> dict[str, Any]:
    """The case's receipt, for a client whose key ``client_of`` found."""
    receipt = submit_case(ctx, replace(command, channel=Channel.OPEN311))
    count("Open311RequestsFiled")
    logger.info("open311 request filed", extra={"client": client.id, "case": receipt["reference"]})
    return receipt


def request(ctx: Context, reference: str) -> Case:
    case = ctx.cases.get(reference)
    if case.channel != Channel.OPEN311:
        raise NotFound("case", reference=reference)
    return case


def requests(ctx: Context, references: Iterable[str]) -> list[Case]:
    """The Open311 cases among ``references``; unknown ones are left out, as the spec's
    search does."""
    found = []
    for reference in list(dict.fromkeys(references))[:MAX_IDS]:
        try:
            found.append(request(ctx, reference))
        except NotFound:
            continue
    return found


def _require_admin(agent: Agent) -> None:
    if Role.ADMIN not in agent.roles:
        raise Forbidden("open311-keys")


def new_key(ctx: Context, agent: Agent, client: str) -> tuple[ApiKey, str]:
    _require_admin(agent)
    stored, key = issue_key(client, ctx.clock.now())
    ctx.open311_keys.add(stored)
    logger.info("open311 key issued", extra={"key": stored.id, "by": agent.id})
    return stored, key


def keys(ctx: Context, agent: Agent) -> list[ApiKey]:
    _require_admin(agent)
    return ctx.open311_keys.all()


def revoke_key(ctx: Context, agent: Agent, key_id: str) -> None:
    _require_admin(agent)
    ctx.open311_keys.revoke(key_id)
    logger.info("open311 key revoked", extra={"key": key_id, "by": agent.id})

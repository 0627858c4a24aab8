"""Service quality in figures: the supervisors' KPIs (JSON or CSV) and the public
transparency figures."""

from __future__ import annotations

import csv
import io
from typing import Literal

from chalice import Blueprint, Response
from pydantic import Field

from chalicelib.api.auth import AGENT_ROUTE
from chalicelib.api.booking_schemas import IsoDate
from chalicelib.api.common import agent_of, ctx
from chalicelib.api.fields import ItemId, Strict
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response, read_query
from chalicelib.domain.kpis import flat
from chalicelib.services.kpi_report import kpi_report, supervised_agencies
from chalicelib.services.transparency import transparency

bp = Blueprint(__name__)

# The public figures change slowly; a CDN or browser may keep them five minutes.
PUBLIC_CACHE = "public, max-age=300"


class KpiQuery(Strict):
    from_: IsoDate = Field(alias="from")
    to: IsoDate
    agency: ItemId | None = None
    team: ItemId | None = None
    format: Literal["json", "csv"] = "json"


@endpoint(bp, "/supervisor/kpis", methods=["GET"], **AGENT_ROUTE)
def supervisor_kpis():
    request = bp.current_request
    agent = agent_of(request)
    supervised_agencies(ctx(), agent)  # who may ask is settled before what is asked
    query = read_query(request, KpiQuery)
    report = kpi_report(ctx(), agent, query.from_, query.to, query.agency, query.team)
    if query.format == "csv":
        return _csv(report)
    return json_response(report)


def _csv(report: dict) -> Response:
    """One row per figure (``cases.tier_share.1``), an empty value where nothing was decided."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "value"])
    for name, value in flat(report):
        writer.writerow([name, "" if value is None else value])
    name = f"kpis-{report['from']}-{report['to']}.csv"
    return Response(
        body=out.getvalue(),
        status_code=200,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


@endpoint(bp, "/public/transparency", methods=["GET"])
def public_transparency():
    return json_response(transparency(ctx()), headers={"Cache-Control": PUBLIC_CACHE})


describe(
    "GET",
    "/supervisor/kpis",
    "Service-quality figures of my agencies for a period (?from&to, Athens days, both"
    " inclusive, at most 92; ?agency, ?team; ?format=csv for CSV)",
    agent=True,
    tag="quality",
)
describe(
    "GET",
    "/public/transparency",
    "Public figures per agency over the last 30 days and the next free appointment per"
    " branch and service (anonymous, cacheable)",
    tag="quality",
)

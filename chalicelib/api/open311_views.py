"""What Open311 clients see of services and requests, in the specification's field names.

A request shows its progress and the agency's public answer, never the citizen: no name,
AMKA, e-mail, phone, nor the citizen's own description (it may hold any of them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from chalicelib.api.open311_wire import Refusal
from chalicelib.domain.cases import Case
from chalicelib.domain.local_time import end_of_day, iso
from chalicelib.domain.open311 import public_status, service_code
from chalicelib.services.context import Context
from chalicelib.services.open311 import Service

# What GeoReport v2 lists for a request that this platform never has (no places, no media).
NO_PLACE = {"address": None, "address_id": None, "zipcode": None, "lat": None, "long": None}


def service_view(found: Service, lang: str) -> dict[str, Any]:
    topic, agency = found.topic.name, found.agency.name
    return {
        "service_code": found.code,
        "service_name": topic.in_(lang),
        "description": f"{agency.in_(lang)}: {topic.in_(lang)}",
        "metadata": True,  # the definition names the attributes a request needs
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([found.agency.id, found.topic.id, topic.el, topic.en])),
        "group": agency.in_(lang),
    }


def attributes(lang: str) -> list[dict[str, Any]]:
    """What a request carries beyond GeoReport's own fields: the citizen's consent to the
    processing of their data (required) and their AMKA (optional, for a faster answer)."""
    en = lang == "en"
    return [
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": None,
            "order": 1,
            "description": "I agree that the agency processes my data to answer me."
            if en
            else "Συμφωνώ να επεξεργαστεί ο φορέας τα στοιχεία μου για να μου απαντήσει.",
            "values": [{"key": "true", "name": "Yes" if en else "Ναι"}],
        },
        {
            "variable": True,
            "code": "amka",
            "datatype": "string",
            "required": False,
            "datatype_description": "11 digits" if en else "11 ψηφία",
            "order": 2,
            "description": "The citizen's AMKA (social security number)"
            if en
            else "Ο ΑΜΚΑ του πολίτη",
        },
    ]


def request_view(case: Case, ctx: Context, lang: str) -> dict[str, Any]:
    agency = ctx.directory.agencies[case.agency]
    topic = agency.topic(case.topic)
    updated = max((event.at for event in case.history), default=case.created_at)
    return {
        "service_request_id": case.reference,
        "status": public_status(case.status),
        "status_notes": case.answer,
        "service_name": topic.name.in_(lang) if topic else case.topic,
        "service_code": service_code(case.agency, case.topic),
        "description": None,
        "agency_responsible": agency.name.in_(lang),
        "service_notice": None,
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(updated),
        # The date the agency promised (fixed when the case opened), to the end of that day.
        "expected_datetime": iso(end_of_day(case.promise)),
        **NO_PLACE,
        "media_url": None,
    }


def _instant(query: Mapping[str, str], name: str) -> datetime | None:
    raw = query.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise Refusal(400, f"{name}: a date and time in ISO 8601 with its offset")
    return value


def requests_filter(query: Mapping[str, str]) -> Callable[[dict[str, Any]], bool]:
    """The search's other parameters, applied to the requests found by id."""
    codes = {c.strip() for c in query.get("service_code", "").split(",") if c.strip()}
    statuses = {s.strip() for s in query.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Refusal(400, "status: open or closed")
    start, end = _instant(query, "start_date"), _instant(query, "end_date")

    def keep(request: dict[str, Any]) -> bool:
        requested = datetime.fromisoformat(request["requested_datetime"])
        return (
            (not codes or request["service_code"] in codes)
            and (not statuses or request["status"] in statuses)
            and (start is None or requested >= start)
            and (end is None or requested <= end)
        )

    return keep

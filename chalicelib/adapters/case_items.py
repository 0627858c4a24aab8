"""How a case is laid out as table items (the same in SQLite and DynamoDB).

See docs/dynamodb.md for the access patterns these keys serve.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.cases import Case, Channel, Citizen, Clocks, Event, Owner, Status
from chalicelib.domain.citizen_view import identifiers_of

from .table import Item, Key


def sortable(instant: datetime) -> str:
    """UTC, fixed width, so that string order is time order in both stores."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def case_key(reference: str) -> Key:
    return Key(f"CASE#{reference}", "CASE")


def case_item(case: Case) -> Item:
    item: Item = {
        "pk": f"CASE#{case.reference}",
        "sk": "CASE",
        "version": case.version,
        "doc": json.dumps(_encode(case), ensure_ascii=False),
    }
    if case.is_open:
        # Chased cases sort first in the owner's queue, then the oldest due.
        priority = "0" if case.is_chased() else "1"
        item["gsi1pk"] = f"QUEUE#{case.owner.team}"
        item["gsi1sk"] = f"{priority}#{sortable(case.clocks.resolution_due)}#{case.reference}"
    deadline = case.next_deadline()
    if deadline is not None:
        item["gsi2pk"] = "DEADLINE"
        item["gsi2sk"] = f"{sortable(deadline)}#{case.reference}"
    if case.breached_at is not None and case.is_open:
        item["gsi3pk"] = "BREACHED"
        item["gsi3sk"] = f"{sortable(case.breached_at)}#{case.reference}"
    return item


def citizen_link_items(case: Case) -> list[Item]:
    """One small item per identifier, so an agent can find all of a citizen's dealings."""
    return [
        {
            "pk": f"CITIZEN#{kind}#{value}",
            "sk": f"{sortable(case.created_at)}#CASE#{case.reference}",
            "kind": "case",
            "ref": case.reference,
        }
        for kind, value in identifiers_of(case.citizen)
    ]


def case_from_item(item: Item) -> Case:
    case = _decode(json.loads(item["doc"]))
    case.version = int(item["version"])
    return case


# --- encoding -------------------------------------------------------------------


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _owner(owner: Owner | None) -> dict[str, Any] | None:
    return {"team": owner.team, "agent": owner.agent} if owner else None


def _encode(case: Case) -> dict[str, Any]:
    c = case.clocks
    return {
        "reference": case.reference,
        "token_hash": case.token_hash,
        "agency": case.agency,
        "topic": case.topic,
        "subject": case.subject,
        "description": case.description,
        "language": case.language,
        "channel": case.channel.value,
        "citizen": vars(case.citizen),
        "created_at": _t(case.created_at),
        "status": case.status.value,
        "tier": case.tier,
        "owner": _owner(case.owner),
        "clocks": {
            "tier_started_at": _t(c.tier_started_at),
            "resolution_due": _t(c.resolution_due),
            "warn_at": _t(c.warn_at),
            "warned": c.warned,
            "first_response_due": _t(c.first_response_due),
            "statutory_due": _t(c.statutory_due),
            "paused_at": _t(c.paused_at),
        },
        "history": [
            {
                "at": _t(e.at),
                "actor": e.actor,
                "action": e.action,
                "tier": e.tier,
                "owner": _owner(e.owner),
                "from_status": e.from_status.value if e.from_status else None,
                "to_status": e.to_status.value if e.to_status else None,
                "from_owner": _owner(e.from_owner),
                "note": e.note,
                "public": e.public,
            }
            for e in case.history
        ],
        "answer": case.answer,
        "question": case.question,
        "resolved_at": _t(case.resolved_at),
        "breached_at": _t(case.breached_at),
        "last_chased_at": _t(case.last_chased_at),
        "transferred_from": case.transferred_from,
    }


def _decode_owner(raw: dict[str, Any] | None) -> Owner | None:
    return Owner(raw["team"], raw.get("agent")) if raw else None


def _decode(doc: dict[str, Any]) -> Case:
    c = doc["clocks"]
    return Case(
        reference=doc["reference"],
        token_hash=doc["token_hash"],
        agency=doc["agency"],
        topic=doc["topic"],
        subject=doc["subject"],
        description=doc["description"],
        language=doc["language"],
        channel=Channel(doc["channel"]),
        citizen=Citizen(**doc["citizen"]),
        created_at=_dt(doc["created_at"]),  # type: ignore[arg-type]
        status=Status(doc["status"]),
        tier=doc["tier"],
        owner=_decode_owner(doc["owner"]),  # type: ignore[arg-type]
        clocks=Clocks(
            tier_started_at=_dt(c["tier_started_at"]),  # type: ignore[arg-type]
            resolution_due=_dt(c["resolution_due"]),  # type: ignore[arg-type]
            warn_at=_dt(c["warn_at"]),
            warned=c.get("warned", False),
            first_response_due=_dt(c["first_response_due"]),
            statutory_due=_dt(c["statutory_due"]),  # type: ignore[arg-type]
            paused_at=_dt(c["paused_at"]),
        ),
        history=[
            Event(
                at=_dt(e["at"]),  # type: ignore[arg-type]
                actor=e["actor"],
                action=e["action"],
                tier=e["tier"],
                owner=_decode_owner(e["owner"]),  # type: ignore[arg-type]
                from_status=Status(e["from_status"]) if e["from_status"] else None,
                to_status=Status(e["to_status"]) if e["to_status"] else None,
                from_owner=_decode_owner(e["from_owner"]),
                note=e["note"],
                public=e["public"],
            )
            for e in doc["history"]
        ],
        answer=doc["answer"],
        question=doc["question"],
        resolved_at=_dt(doc["resolved_at"]),
        breached_at=_dt(doc["breached_at"]),
        last_chased_at=_dt(doc["last_chased_at"]),
        transferred_from=doc["transferred_from"],
    )

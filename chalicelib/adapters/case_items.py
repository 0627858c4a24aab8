"""How a case is laid out as table items (the same in SQLite and DynamoDB).

See docs/dynamodb.md for the access patterns these keys serve.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.cases import Case, Channel, Citizen, Clocks, Event, Status
from chalicelib.domain.citizen_view import identifiers_of
from chalicelib.domain.erasure import retained_since

from .case_history import (
    archived_of,
    decode_event,
    decode_owner,
    dt,
    encode_event,
    encode_owner,
    events_of,
    remember,
    t,
)
from .pseudonyms import citizen_partition
from .table import Item, Key

RETAIN = "RETAIN"


def sortable(instant: datetime) -> str:
    """UTC, fixed width, so that string order is time order in both stores."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def case_key(reference: str) -> Key:
    return Key(f"CASE#{reference}", "CASE")


def case_item(case: Case, archived: int | None = None) -> Item:
    """The case's own item, its events from ``archived`` on inline (by default as many as the
    store holds in history items already, so writing this item alone loses none)."""
    if archived is None:
        archived = archived_of(case) or 0
    item: Item = {
        "pk": f"CASE#{case.reference}",
        "sk": "CASE",
        "version": case.version,
        "archived": archived,
        "doc": json.dumps(_encode(case, archived), ensure_ascii=False),
    }
    if case.is_open:
        # Chased cases sort first in the owner's queue, then the oldest due.
        priority = "0" if case.is_chased() else "1"
        item["gsi1pk"] = f"QUEUE#{case.owner.team}"
        item["gsi1sk"] = f"{priority}#{sortable(case.clocks.resolution_due)}#{case.reference}"
        # Every open case in one queue too, same order: a supervisor's queue is one query.
        item["gsi4pk"] = "OPENQUEUE"
        item["gsi4sk"] = item["gsi1sk"]
    deadline = case.next_deadline()
    if deadline is not None:
        item["gsi2pk"] = "DEADLINE"
        item["gsi2sk"] = f"{sortable(deadline)}#{case.reference}"
    if case.breached_at is not None and case.is_open:
        item["gsi3pk"] = "BREACHED"
        item["gsi3sk"] = f"{sortable(case.breached_at)}#{case.reference}"
    return retention_index(item, retained_since(case), "case", case.reference)


def retention_index(item: Item, since: datetime | None, kind: str, ref: str) -> Item:
    """A finished dealing waits in the retention index (gsi3) by when it finished, until
    the sweeper anonymises it (see services/retention.py)."""
    if since is not None:
        item["gsi3pk"] = RETAIN
        item["gsi3sk"] = f"{sortable(since)}#{kind}#{ref}"
    return item


def citizen_link_items(case: Case) -> list[Item]:
    """One small item per identifier, so an agent can find all of a citizen's dealings."""
    return [
        {
            "pk": citizen_partition(kind, value),
            "sk": f"{sortable(case.created_at)}#CASE#{case.reference}",
            "kind": "case",
            "ref": case.reference,
        }
        for kind, value in identifiers_of(case.citizen)
    ]


def case_from_item(item: Item, older: Sequence[Item] = ()) -> Case:
    """The case from its item and the history items of its ``archived`` first events."""
    archived = int(item.get("archived", 0))
    events = events_of(older)[:archived]
    if len(events) != archived:
        raise LookupError(
            f"{item['pk']} keeps {archived} events in history items, read {len(events)}"
        )
    case = _decode(json.loads(item["doc"]), events)
    case.version = int(item["version"])
    remember(case, archived)
    return case


# --- encoding -------------------------------------------------------------------


def _encode(case: Case, archived: int) -> dict[str, Any]:
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
        "created_at": t(case.created_at),
        "status": case.status.value,
        "tier": case.tier,
        "owner": encode_owner(case.owner),
        "clocks": {
            "tier_started_at": t(c.tier_started_at),
            "resolution_due": t(c.resolution_due),
            "warn_at": t(c.warn_at),
            "warned": c.warned,
            "first_response_due": t(c.first_response_due),
            "statutory_due": t(c.statutory_due),
            "paused_at": t(c.paused_at),
        },
        "history": [encode_event(e) for e in case.history[archived:]],
        "answer": case.answer,
        "question": case.question,
        "resolved_at": t(case.resolved_at),
        "breached_at": t(case.breached_at),
        "last_chased_at": t(case.last_chased_at),
        "transferred_from": case.transferred_from,
        "promised_by": case.promised_by.isoformat() if case.promised_by else None,
    }


def _decode(doc: dict[str, Any], older: list[Event]) -> Case:
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
        created_at=dt(doc["created_at"]),  # type: ignore[arg-type]
        status=Status(doc["status"]),
        tier=doc["tier"],
        owner=decode_owner(doc["owner"]),  # type: ignore[arg-type]
        clocks=Clocks(
            tier_started_at=dt(c["tier_started_at"]),  # type: ignore[arg-type]
            resolution_due=dt(c["resolution_due"]),  # type: ignore[arg-type]
            warn_at=dt(c["warn_at"]),
            warned=c.get("warned", False),
            first_response_due=dt(c["first_response_due"]),
            statutory_due=dt(c["statutory_due"]),  # type: ignore[arg-type]
            paused_at=dt(c["paused_at"]),
        ),
        history=older + [decode_event(e) for e in doc["history"]],
        answer=doc["answer"],
        question=doc["question"],
        resolved_at=dt(doc["resolved_at"]),
        breached_at=dt(doc["breached_at"]),
        last_chased_at=dt(doc["last_chased_at"]),
        transferred_from=doc["transferred_from"],
        promised_by=date.fromisoformat(doc["promised_by"]) if doc.get("promised_by") else None,
    )

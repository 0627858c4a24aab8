"""Open311 GeoReport v2 in the platform's words: service codes, public status, client keys.

A service is an agency's topic (``efka.pension``); a service request is a case filed through
Open311; a client application files requests with a key an administrator issued to it. Only
the key's hash is kept, so a lost key is revoked and issued again, never shown twice.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.case_values import OPEN, Status
from chalicelib.domain.errors import Forbidden, NotFound

SEPARATOR = "."
_KEY_BYTES = 24


class UnknownService(NotFound):
    """No agency's topic answers to this service code."""


class BadApiKey(Forbidden):
    """The api_key is missing, unknown or revoked."""


def service_code(agency: str, topic: str) -> str:
    return f"{agency}{SEPARATOR}{topic}"


def agency_and_topic(code: str) -> tuple[str, str]:
    """The agency and topic a service code names (whether they exist is the directory's say)."""
    agency, separator, topic = code.partition(SEPARATOR)
    if not (agency and separator and topic):
        raise UnknownService(code=code)
    return agency, topic


def public_status(status: Status) -> str:
    """GeoReport knows two states: a resolved or closed case is ``closed``."""
    return "open" if status in OPEN else "closed"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    """A client application's key as stored: never the key itself."""

    id: str
    client: str
    key_hash: str
    last4: str
    created_at: datetime


def issue_key(client: str, now: datetime, key: str | None = None) -> tuple[ApiKey, str]:
    """A new key for ``client``: what is stored, and the key to hand over once."""
    key = key or secrets.token_urlsafe(_KEY_BYTES)
    stored = ApiKey(
        id=secrets.token_hex(6),
        client=client,
        key_hash=hash_key(key),
        last4=key[-4:],
        created_at=now,
    )
    return stored, key

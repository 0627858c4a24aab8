"""A day of the product's journeys with known citizens, for the personal-data tests: each
journey leaves its items in the store and its lines in the logs, and ``secrets`` lists every
identifier and token that must show in neither a key nor a log line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TOMORROW, Api, at

REASON = "Ο πολίτης καλεί για τις εισφορές του"


@dataclass
class Secrets:
    identifiers: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)

    def all(self) -> set[str]:
        return self.identifiers | self.tokens

    def found_in(self, text: str) -> set[str]:
        return {secret for secret in self.all() if secret.lower() in text.lower()}


def citizen(n: int) -> dict:
    """The n-th citizen with every identifier the forms take."""
    return {
        "full_name": f"Πολίτης {n}",
        "amka": amka(n),
        "email": f"privacy{n}@example.gr",
        "phone": f"+30697{n:07d}",
    }


def remember(secrets: Secrets, person: dict) -> None:
    secrets.identifiers |= {person["amka"], person["email"], person["phone"][3:]}
    if person.get("afm"):
        secrets.identifiers.add(person["afm"])


def run_journeys(api: Api, midway: Callable[[], None] = lambda: None) -> Secrets:
    """Cases, a phone call, bookings, a no-show and its block, a callback, a waitlist, a
    citizen look-up and the access record; ``midway`` runs before two days pass and the
    timers fire (appointments served or missed, callbacks missed)."""
    secrets = Secrets()
    first = {**citizen(1), "afm": "123456783"}
    remember(secrets, first)
    case = api.post(
        "/api/v1/cases",
        {**CASE_BODY, "citizen": first},
        headers={"Idempotency-Key": "0f8e2b4c-6a1d-4e3f-9b7a-5c2d1e0f3a4b"},
    ).body
    secrets.tokens.add(case["tracking_token"])
    api.get(
        f"/api/v1/cases/{case['reference']}", headers={"X-Tracking-Token": case["tracking_token"]}
    )

    caller = citizen(2)
    remember(secrets, caller)
    maria = api.token("maria")
    api.post("/api/v1/agent/cases", {**CASE_BODY, "citizen": caller}, token=maria)

    booking = _book(api, first, at(TOMORROW, 10))
    secrets.tokens |= {
        booking["manage_token"],
        booking.get("calendar_token", booking["manage_token"]),
    }
    manage = {"X-Manage-Token": booking["manage_token"]}
    api.get(f"/api/v1/bookings/{booking['code']}", headers=manage)
    _calendar(api, booking)

    callback = api.post(
        "/api/v1/callbacks",
        {
            "agency": "efka",
            "window_start": at(TOMORROW, 10).isoformat(),
            "phone": first["phone"],
            "case_reference": case["reference"],
        },
        headers={"X-Tracking-Token": case["tracking_token"]},
    )
    assert callback.status == 201, callback.body

    absent = citizen(3)
    remember(secrets, absent)
    missed = _book(api, absent, at(TOMORROW + timedelta(days=1), 11))
    secrets.tokens.add(missed["manage_token"])
    api.runtime.ctx.bookings.block(
        absent["amka"], CERTIFICATE, at(TOMORROW, 12) + timedelta(days=30)
    )

    waiting = citizen(4)
    remember(secrets, waiting)
    _fill_and_wait(api, waiting, secrets)

    for kind in ("amka", "afm", "phone", "email"):
        _look_up(api, maria, kind, first[kind])
        _access_log(api, kind, first[kind])

    midway()
    api.runtime.clock.advance(timedelta(days=2, hours=4))
    api.runtime.run_due()
    return secrets


def _book(api: Api, person: dict, start) -> dict:
    body = {"branch": SYNTAGMA, "service": CERTIFICATE, "start": start.isoformat()}
    response = api.post("/api/v1/bookings", {**body, "citizen": _booking_citizen(person)})
    assert response.status == 201, response.body
    return response.body


def _booking_citizen(person: dict) -> dict:
    return {k: v for k, v in person.items() if k != "afm"}


def _calendar(api: Api, booking: dict) -> None:
    token = booking.get("calendar_token", booking["manage_token"])
    response = api.get(f"/api/v1/bookings/{booking['code']}/calendar.ics?token={token}")
    assert response.status == 200, response.body


def _fill_and_wait(api: Api, person: dict, secrets: Secrets) -> None:
    """Wednesdays open 10:00-10:10 with one desk: the first citizen's booking fills the day."""
    admin = api.token("katerina")
    hours = {"wed": [["10:00", "10:10"]]}
    path = f"/api/v1/branch/{SYNTAGMA}"
    api.request("PUT", f"{path}/hours", {"version": 0, "hours": hours}, token=admin)
    capacity = {"version": 1, "service": CERTIFICATE, "in_person": 1}
    api.request("PUT", f"{path}/capacity", capacity, token=admin)
    body = {"branch": SYNTAGMA, "service": CERTIFICATE, "date": TOMORROW.isoformat()}
    joined = api.post("/api/v1/waitlist", {**body, "citizen": _booking_citizen(person)})
    assert joined.status == 201, joined.body
    secrets.tokens.add(joined.body["manage_token"])


def _look_up(api: Api, token: str, kind: str, value: str) -> None:
    response = api.post(
        "/api/v1/agent/citizens/search", {kind: value, "reason": REASON}, token=token
    )
    assert response.status == 200, response.body


def _access_log(api: Api, kind: str, value: str) -> None:
    response = api.post(
        "/api/v1/supervisor/access-log/search",
        {kind: value, "reason": REASON},
        token=api.token("sofia"),
    )
    assert response.status == 200, response.body

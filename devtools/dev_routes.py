"""Local-stage helpers: move the injected clock, read the outbox. Never deployed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from chalice import Blueprint
from pydantic import Field, field_validator, model_validator

from chalicelib import bootstrap
from chalicelib.api.auth import dev_token
from chalicelib.api.fields import Strict
from chalicelib.api.openapi import describe
from chalicelib.api.problems import Problem, endpoint, json_response, read_body
from chalicelib.domain.calendar import ATHENS
from devtools.mailbox import MAILBOX

bp = Blueprint(__name__)

# Set by the local server when it registers this blueprint.
RUNTIME: dict = {}

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


# A demo moves its clock by days or months; a clock decades ahead would outlive every date
# the platform computes (and one past year 9999 could not be stored at all).
LATEST = datetime(2100, 1, 1, tzinfo=ATHENS)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise ValueError("ISO 8601 duration such as PT8H or P2D")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    try:
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError("a duration of at most a few years") from None


class ClockIn(Strict):
    advance: str | None = Field(default=None, max_length=40)
    set: datetime | None = None

    @field_validator("advance")
    @classmethod
    def duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @model_validator(mode="after")
    def one_of(self) -> ClockIn:
        if (self.advance is None) == (self.set is None):
            raise ValueError("give either advance or set")
        if self.set is not None and self.set.tzinfo is None:
            raise ValueError("set needs an offset")
        return self


@endpoint(bp, "/dev/clock", methods=["GET"])
def get_clock():
    return json_response({"now": RUNTIME["clock"].now().astimezone(ATHENS).isoformat()})


@endpoint(bp, "/dev/clock", methods=["POST"])
def move_clock():
    body = read_body(bp.current_request, ClockIn)
    clock = RUNTIME["clock"]
    if body.advance is not None:
        delta = parse_duration(body.advance)
    else:
        assert body.set is not None
        delta = body.set - clock.now()
        if delta < timedelta():
            # Deadlines already fired cannot be unfired: the clock only moves forward.
            raise Problem(
                422, "validation", [{"field": "set", "message": "must not be in the past"}]
            )
    if delta > LATEST - clock.now():
        field = "advance" if body.advance is not None else "set"
        raise Problem(422, "validation", [{"field": field, "message": "before 2100-01-01"}])
    now = clock.advance(delta)
    fired = RUNTIME["on_clock_moved"]()
    return json_response({"now": now.astimezone(ATHENS).isoformat(), "timers_fired": fired})


@endpoint(bp, "/dev/outbox", methods=["GET"])
def outbox():
    return json_response({"messages": MAILBOX.with_bodies(RUNTIME["outbox"].messages(50))})


class TokenIn(Strict):
    user: str = Field(min_length=1, max_length=60)


@endpoint(bp, "/dev/users", methods=["GET"])
def demo_users():
    agents = bootstrap.context().directory.agents.values()
    return json_response(
        [
            {"id": a.id, "name": a.name, "roles": sorted(a.roles), "teams": sorted(a.teams)}
            for a in sorted(agents, key=lambda a: a.id)
        ]
    )


@endpoint(bp, "/dev/token", methods=["POST"])
def demo_token():
    # The console's local sign-in: the static page cannot sign tokens itself.
    body = read_body(bp.current_request, TokenIn)
    agent = bootstrap.context().directory.agents.get(body.user)
    if agent is None:
        raise Problem(422, "validation", [{"field": "user", "message": "unknown demo user"}])
    return json_response({"token": dev_token(agent, bootstrap.settings().jwt_secret)})


def describe_routes() -> None:
    describe("GET", "/dev/clock", "Local stage only: the injected clock", tag="dev")
    describe(
        "POST",
        "/dev/clock",
        "Local stage only: move the clock and run due deadlines",
        body=ClockIn,
        tag="dev",
    )
    describe("GET", "/dev/outbox", "Local stage only: messages sent to citizens", tag="dev")
    describe("GET", "/dev/users", "Local stage only: the demo agents", tag="dev")
    describe(
        "POST",
        "/dev/token",
        "Local stage only: a dev token for a demo agent",
        body=TokenIn,
        tag="dev",
    )

"""The shapes of the answers that routes build as dicts, for the OpenAPI document only.

The routes keep returning their dicts; these models describe them, so schema-driven tests
(schemathesis) check every answer against the published contract. Times are ISO 8601 with
the Athens offset.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from chalicelib.api.case_schemas import CaseViewOut


class Out(BaseModel):
    """An answer may gain fields; a client ignores those it does not know."""


class Name(Out):
    el: str
    en: str


# --- reference -------------------------------------------------------------------------


class HealthOut(Out):
    status: Literal["ok"]
    store: Literal["sqlite", "dynamodb"]
    stage: str
    time: datetime


class TopicOut(Out):
    id: str
    name: Name


class AgencyOut(Out):
    id: str
    name: Name
    topics: list[TopicOut]


class ServiceOut(Out):
    id: str
    agency: str
    name: Name
    duration_minutes: int = Field(ge=1)
    buffer_minutes: int = Field(ge=0)
    modes: list[Literal["in_person", "video"]]


class BranchOut(Out):
    id: str
    name: Name
    address: str
    city: Name
    services: list[str]
    modes: list[Literal["in_person", "video"]]
    step_free_access: bool
    interpreter_languages: list[str]


class SlotOut(Out):
    start: datetime
    end: datetime
    remaining: int = Field(ge=1, description="Places left; only slots with a place are listed")


class AvailabilityOut(Out):
    slots: list[SlotOut]


# --- bookings --------------------------------------------------------------------------


class BookingBranchOut(Out):
    id: str
    name: Name
    address: str


class BookingServiceOut(Out):
    id: str
    name: Name
    agency: str


class BookingOut(Out):
    """A booking as its citizen sees it (``X-Manage-Token``)."""

    code: str = Field(examples=["B-7K3M-9Q2XH"])
    status: str
    start: datetime
    end: datetime
    mode: Literal["in_person", "video"]
    branch: BookingBranchOut
    service: BookingServiceOut
    join_url: str | None
    accommodations: list[str]
    interpreter_language: str | None
    accommodation_note: str | None
    language: Literal["el", "en"]
    channel: str
    change_until: datetime | None
    checked_in_at: datetime | None


class BookingReceiptOut(BookingOut):
    """The answer to a booking: its view, the token that manages it, and the links."""

    manage_token: str
    manage_url: str
    calendar_url: str


class OfferOut(Out):
    start: datetime
    end: datetime
    confirm_by: datetime | None


class WaitlistEntryOut(Out):
    id: str = Field(examples=["W-7K3M-9Q2XH"])
    status: str
    branch: str
    service: str
    mode: Literal["in_person", "video"]
    date: date
    ticket: int
    offer: OfferOut | None
    booking_code: str | None


class WaitlistReceiptOut(WaitlistEntryOut):
    manage_token: str


class StaffBookingOut(BookingOut):
    version: int = Field(ge=1)
    citizen: dict[str, Any]
    booked_by: str | None
    history: list[dict[str, Any]]
    allowed_actions: list[str]


class DayListOut(Out):
    date: date
    bookings: list[StaffBookingOut]


class BranchSettingsOut(Out):
    branch: str
    version: int = Field(ge=0)
    hours: dict[str, Any]
    walk_in: dict[str, Any]
    closures: list[Any]
    capacity: dict[str, Any]
    weekdays: list[str]


class ClosureOut(BranchSettingsOut):
    cancelled_bookings: list[str]


class LiftedOut(Out):
    lifted: Literal[True]


# --- callbacks -------------------------------------------------------------------------


class WindowOut(Out):
    start: datetime | None
    end: datetime | None
    remaining: int | None = Field(default=None, ge=0)


class CallbackReceiptOut(Out):
    reference: str = Field(examples=["CB-7K3M-9Q2XH"])
    token: str
    status: str
    agency: str
    window: WindowOut
    case_reference: str | None
    created_at: datetime


class CallbackOut(Out):
    """A callback as its citizen sees it: the phone masked, no staff names or notes."""

    reference: str
    status: str
    agency: str
    topic: str | None
    language: Literal["el", "en"]
    phone: str
    window: WindowOut
    case_reference: str | None
    created_at: datetime | None
    attempts: int = Field(ge=0, description="How many calls were tried")
    timeline: list[dict[str, Any]]


class CallbacksOut(Out):
    callbacks: list[CallbackOut]


class AgentCallbackOut(CallbackOut):
    version: int = Field(ge=1)
    attempts: list[dict[str, Any]]  # type: ignore[assignment]  # each call, for staff
    channel: str | None
    requested_by: str | None
    due_at: datetime | None
    owner: dict[str, Any]
    missed_count: int = Field(ge=0)
    closed_at: datetime | None
    history: list[dict[str, Any]]


class AgentCallbacksOut(Out):
    callbacks: list[AgentCallbackOut]


class MissedCallbacksOut(AgentCallbacksOut):
    missed_by_team: dict[str, int]


# --- agents ----------------------------------------------------------------------------


class QueueQuery(BaseModel):
    """Documents the queue's query (the route reads ``scope`` itself)."""

    scope: Literal["team", "mine"] = "team"


class QueueEntryOut(Out):
    reference: str
    version: int = Field(ge=1)
    status: str
    tier: int = Field(ge=1, le=3)
    agency: str
    topic: str
    subject: str
    due_at: datetime
    warned: bool
    chased: bool
    created_at: datetime
    agency_name: Name | None
    topic_name: Name


class QueueOut(Out):
    cases: list[QueueEntryOut]


class AgentCaseOut(CaseViewOut):
    """Everything about a case, with names beside ids and the actions allowed now."""

    version: int = Field(ge=1)
    channel: str
    description: str
    language: Literal["el", "en"]
    citizen: dict[str, Any]
    allowed_actions: list[str]
    history: list[dict[str, Any]]
    time_by_tier: dict[str, float]
    time_by_owner: dict[str, float]


class KeyOut(Out):
    id: str
    client: str
    created: datetime
    last4: str


class IssuedKeyOut(KeyOut):
    api_key: str


class KeysOut(Out):
    keys: list[KeyOut]

"""Errors of the domain, every refusal in one place. The API maps each class to one problem
type (api/problems.py); never match on text."""

from __future__ import annotations

import re
from datetime import datetime, timedelta


class DomainError(Exception):
    """Base of every rule a request can break. ``code`` picks the message and the problem type:
    the class's name in kebab case unless it says otherwise (``SlotFull``: ``slot-full``). A
    subclass of a concrete error is a kind of it and keeps its code."""

    code = "domain"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__ and DomainError in cls.__bases__:
            cls.code = re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params = params


class NotFound(DomainError):
    """No such record, or not one the caller may see (the two look alike)."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class VersionConflict(DomainError):
    """The record changed since it was read; read it again."""


class InvalidTransition(DomainError):
    """The action is not allowed in the case's (or booking's) current state."""

    code = "invalid-state"


class NotYetDue(InvalidTransition):
    """Asked for something the promised date allows only once it has passed."""

    code = "not-yet-due"


class TooSoon(DomainError):
    """The same request came again too soon; ``retry_in`` says how long to wait."""

    code = "too-many-requests"

    def __init__(self, detail: str = "", *, retry_in: timedelta, **params: object) -> None:
        super().__init__(detail, **params)
        self.retry_in = retry_in


class IdempotencyMismatch(DomainError):
    """A retried idempotency key came with a different body."""


class InvalidInput(DomainError):
    """A value that passed the schema but breaks a rule; ``field`` names it."""

    code = "validation"

    def __init__(self, field: str, message_code: str, **params: object) -> None:
        super().__init__(message_code, **params)
        self.field = field
        self.message_code = message_code


# --- appointments -------------------------------------------------------------


class SettingsChanged(DomainError):
    """Branch staff changed hours, closures or desks while a booking was being made: the
    booking is judged again on the new settings."""


class SlotFull(DomainError):
    """The slot has no place left."""


class AlreadyBooked(DomainError):
    """The citizen already holds an active booking for this service."""


class BookingBlocked(DomainError):
    """Too many recent no-shows: booking this service is paused until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__("booking-blocked", until=until)
        self.until = until


class ChangeClosed(DomainError):
    """The citizen's cut-off before the appointment has passed; only staff may change it."""


class CheckInWindow(DomainError):
    """Check-in opens shortly before the appointment and closes after it."""


# --- callbacks ----------------------------------------------------------------


class WindowFull(DomainError):
    """The callback window has no place left."""


class CallbackExists(DomainError):
    """The phone already holds an open callback with this agency."""


class NoCallbackDue(DomainError):
    """No callback of the team is waiting to be claimed now."""


class LinkedCaseChanged(VersionConflict):
    """The linked case changed while a callback step was being written; read it again."""


# --- the waitlist -------------------------------------------------------------


class DayNotFull(DomainError):
    """Places are still free that day: book one instead of queueing."""


class AlreadyWaiting(DomainError):
    """The citizen is already in line for this day and service."""


class OfferExpired(DomainError):
    """The held place was not confirmed in time and has passed on."""


# --- surveys ------------------------------------------------------------------


class SurveyAnswered(DomainError):
    """The survey has its answer already (one per survey)."""


# --- abuse limits -------------------------------------------------------------


class RateLimited(TooSoon):
    """A quota of the current window is spent; ``retry_in`` is the time to the window's end."""

    code = "rate-limited"


class TooManyAppointments(DomainError):
    """The phone number or e-mail already holds the most active appointments allowed."""

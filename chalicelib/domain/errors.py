"""Errors of the domain. The API maps each class to one problem type; never match on text."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule a request can break. ``code`` picks the message and the problem type."""

    code = "domain"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params = params


class NotFound(DomainError):
    code = "not-found"


class Forbidden(DomainError):
    code = "forbidden"


class VersionConflict(DomainError):
    code = "version-conflict"


class InvalidTransition(DomainError):
    """The action is not allowed in the case's (or booking's) current state."""

    code = "invalid-state"


class TooSoon(DomainError):
    code = "too-many-requests"


class IdempotencyMismatch(DomainError):
    code = "idempotency-mismatch"


class InvalidInput(DomainError):
    """A value that passed the schema but breaks a rule; ``field`` names it."""

    code = "validation"

    def __init__(self, field: str, message_code: str, **params: object) -> None:
        super().__init__(message_code, **params)
        self.field = field
        self.message_code = message_code

"""Errors as application/problem+json (RFC 9457), mapped in one table at the view edge.

Chalice's middleware does not see exceptions raised by views, so every view is
wrapped by ``endpoint`` below, which turns domain errors and bad input into
problems in the caller's language.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Blueprint, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.adapters.table import ItemTooLarge, StoreBusy, StoreRefused
from chalicelib.api.i18n import field_message, language_of, title
from chalicelib.domain.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingBlocked,
    CallbackExists,
    ChangeClosed,
    CheckInWindow,
    DayNotFull,
    DomainError,
    Forbidden,
    IdempotencyMismatch,
    InvalidInput,
    InvalidTransition,
    NoCallbackDue,
    NotFound,
    NotYetDue,
    OfferExpired,
    RateLimited,
    SettingsChanged,
    SlotFull,
    SurveyAnswered,
    TooManyAppointments,
    TooSoon,
    VersionConflict,
    WindowFull,
)
from chalicelib.domain.identifiers import InvalidIdentifier
from chalicelib.observability import logger

PROBLEM_JSON = "application/problem+json"
BODY_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded"]

# HTTP status -> the domain errors it answers with; the problem type is the error's ``code``,
# its title is in data/problems.json.
ANSWERS: dict[int, tuple[type[DomainError], ...]] = {
    403: (Forbidden,),
    404: (NotFound, NoCallbackDue),
    409: (
        *(VersionConflict, NotYetDue, InvalidTransition, TooManyAppointments),
        *(SlotFull, AlreadyBooked, BookingBlocked, ChangeClosed, CheckInWindow, SettingsChanged),
        *(DayNotFull, AlreadyWaiting, OfferExpired, WindowFull, CallbackExists, SurveyAnswered),
    ),
    422: (IdempotencyMismatch, InvalidInput),
    429: (TooSoon, RateLimited),
    503: (StoreBusy,),
}
STATUS: dict[type[DomainError], tuple[int, str]] = {
    error: (status, error.code) for status, errors in ANSWERS.items() for error in errors
}
# What the store refuses as it stands (DynamoDB's limits, refused alike by SQLite): retrying
# cannot help, and nothing was written. InvalidTransaction falls to StoreRefused.
STATUS[ItemTooLarge] = (413, "too-large")
STATUS[StoreRefused] = (422, "not-storable")


def register(error: type[DomainError], status: int, problem: str) -> None:
    """A domain error of a route group and its problem; the title is in data/problems.json."""
    STATUS[error] = (status, problem)


class Problem(Exception):
    def __init__(
        self,
        status: int,
        problem: str,
        errors: list[dict[str, str]] | None = None,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.errors = errors or []
        self.detail = detail
        self.headers = headers or {}


def problem_response(problem: Problem, language: str) -> Response:
    body: dict[str, Any] = {
        "type": f"/problems/{problem.problem}",
        "title": title(problem.problem, language),
        "status": problem.status,
        "detail": problem.detail or title(problem.problem, language),
    }
    if problem.errors:
        body["errors"] = problem.errors
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=problem.status,
        headers={"Content-Type": PROBLEM_JSON, "Content-Language": language, **problem.headers},
    )


def _status_of(error: DomainError) -> tuple[int, str]:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 409, "invalid-state"


def problem_of(error: Exception, language: str) -> Problem:
    if isinstance(error, Problem):
        return error
    if isinstance(error, ValidationError):
        return Problem(422, "validation", validation_errors(error, language))
    if isinstance(error, InvalidInput):
        message = field_message(error.message_code, language, **error.params)
        return Problem(422, "validation", [{"field": error.field, "message": message}])
    if isinstance(error, TooSoon):  # a RateLimited too
        wait = max(1, math.ceil(error.retry_in.total_seconds()))
        status, problem = _status_of(error)
        return Problem(status, problem, headers={"Retry-After": str(wait)})
    if isinstance(error, DomainError):
        status, problem = _status_of(error)
        return Problem(status, problem)
    raise error


_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_short": "required",
    "string_too_long": "too-long",
    "literal_error": "invalid-choice",
    "enum": "invalid-choice",
    "extra_forbidden": "unknown-field",
    "date_from_datetime_parsing": "date",
    "date_parsing": "date",
    "date_type": "date",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
    "datetime_type": "datetime",
    "timezone_aware": "datetime",
}


# Enough to correct a form; a body of thousands of unknown keys must not echo them all back.
MAX_FIELD_ERRORS = 20


def validation_errors(error: ValidationError, language: str) -> list[dict[str, str]]:
    errors = []
    for item in error.errors()[:MAX_FIELD_ERRORS]:
        field = ".".join(str(part) for part in item["loc"] if not str(part).startswith("function"))
        code = _PYDANTIC_CODES.get(item["type"], item["type"])
        params = item.get("ctx") or {}
        errors.append(
            {
                "field": field,
                "message": field_message(code, language, max=params.get("max_length", "")),
            }
        )
    return errors


def language(request: Request) -> str:
    return language_of(request.headers.get("accept-language"))


M = TypeVar("M", bound=BaseModel)


def read_body(request: Request, model: type[M]) -> M:
    """Parses and validates the JSON body: 400 if it is not JSON, 422 if it breaks the schema."""
    raw = request.raw_body
    try:
        data = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "bad-request") from None
    except RecursionError:
        # JSON nested deeper than any form: a refusal of the data, not a crash.
        message = field_message("too-deep", language(request))
        raise Problem(422, "validation", [{"field": "", "message": message}]) from None
    if not isinstance(data, dict):
        raise Problem(400, "bad-request")
    return model.model_validate(data)


def read_query(request: Request, model: type[M]) -> M:
    return model.model_validate(dict(request.query_params or {}))


def endpoint(blueprint: Blueprint, path: str, **options: Any) -> Callable:
    """``blueprint.route`` that answers every error as problem+json."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request = blueprint.current_request
            lang = language(request)
            try:
                return view(*args, **kwargs)
            except (DomainError, ValidationError, Problem) as error:
                problem = problem_of(error, lang)
                logger.info(
                    "request refused",
                    extra={"problem": problem.problem, "status": problem.status, "path": path},
                )
                return problem_response(problem, lang)
            except InvalidIdentifier as error:
                message = field_message(error.code, lang)
                return problem_response(
                    Problem(422, "validation", [{"field": "", "message": message}]), lang
                )

        if set(options.get("methods", ["GET"])) & {"POST", "PUT", "PATCH"}:
            # The body is read as JSON whatever the client called it (curl's default is a form).
            options.setdefault("content_types", BODY_TYPES)
        blueprint.route(path, **options)(wrapped)
        return view

    return decorator


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


# Chalice answers these itself, before any view, as {"Code": ..., "Message": ...} with no
# Content-Type; the app's http middleware turns them into problems like every other refusal.
CHALICE_REFUSALS = {405: "method-not-allowed", 415: "unsupported-media-type"}


def refusal_as_problem(response: Response, request: Request) -> Response:
    headers = response.headers or {}
    if response.status_code not in CHALICE_REFUSALS or "Content-Type" in headers:
        return response
    answer = problem_response(
        Problem(response.status_code, CHALICE_REFUSALS[response.status_code]), language(request)
    )
    if "Allow" in headers:
        answer.headers["Allow"] = headers["Allow"]
    return answer

"""Satisfaction surveys (public, with the survey's token in ``X-Survey-Token``)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from chalice import Blueprint
from pydantic import AfterValidator, BaseModel, Field, StrictInt
from pydantic_core import PydanticCustomError

from chalicelib.api.common import ctx
from chalicelib.api.fields import Strict
from chalicelib.api.openapi import describe
from chalicelib.api.problems import endpoint, json_response, read_body
from chalicelib.domain.errors import NotFound
from chalicelib.domain.local_time import iso
from chalicelib.domain.surveys import MAX_COMMENT, SCORES
from chalicelib.services import surveys as service

bp = Blueprint(__name__)

_ID = re.compile(r"^[0-9a-f]{16}$")


def _score(value: int) -> int:
    if value not in SCORES:
        raise PydanticCustomError("score", "a whole number from 1 to 5")
    return value


class SurveyIn(Strict):
    score: Annotated[StrictInt, AfterValidator(_score)]
    comment: Annotated[str, Field(max_length=MAX_COMMENT)] = ""


class NameOut(BaseModel):
    el: str
    en: str


class RatedOut(BaseModel):
    id: str
    name: NameOut | None


class SurveyOut(BaseModel):
    """What is rated, by name; nothing about the citizen or their case."""

    id: str
    kind: Literal["case", "appointment"]
    language: Literal["el", "en"]
    answered: bool
    expires_at: str
    agency: RatedOut | None = None
    team: RatedOut | None = None
    branch: RatedOut | None = None
    service: RatedOut | None = None


def _out(found: service.SurveyView) -> dict:
    survey, rated = found.survey, found.survey.rated
    body: dict = {
        "id": survey.id,
        "kind": rated.kind.value,
        "language": survey.language,
        "answered": survey.answered,
        "expires_at": iso(survey.expires_at),
    }
    for part in ("agency", "team", "branch", "service"):
        value = getattr(rated, part)
        if value:
            name = found.names.get(part)
            body[part] = {"id": value, "name": {"el": name.el, "en": name.en} if name else None}
    return body


def _survey_id(raw: str) -> str:
    if not _ID.match(raw):
        raise NotFound("survey")
    return raw


@endpoint(bp, "/surveys/{survey_id}", methods=["GET"])
def get_survey(survey_id: str):
    token = bp.current_request.headers.get("x-survey-token")
    return json_response(_out(service.view(ctx(), _survey_id(survey_id), token)))


@endpoint(bp, "/surveys/{survey_id}", methods=["POST"])
def answer_survey(survey_id: str):
    request = bp.current_request
    token = request.headers.get("x-survey-token")
    held = service.view(ctx(), _survey_id(survey_id), token)  # 404 before looking at the body
    body = read_body(request, SurveyIn)
    return json_response(_out(service.answer(ctx(), held, body.score, body.comment)))


describe(
    "GET",
    "/surveys/{survey_id}",
    "What a satisfaction survey rates (X-Survey-Token; a wrong token is 404)",
    tag="surveys",
    response=SurveyOut,
)
describe(
    "POST",
    "/surveys/{survey_id}",
    "Answer a satisfaction survey once: score 1-5 and an optional comment (X-Survey-Token; "
    "409 survey-answered the second time)",
    body=SurveyIn,
    tag="surveys",
    response=SurveyOut,
)

"""Satisfaction surveys: offered in the message that closes a case or a visit, answered once.

``offer`` runs inside the unit of work of the change that earns the survey, so the survey, the
change and the message with its link are one transaction. ``answer`` stores the answer and its
satisfaction figure together (see ``adapters/surveys.satisfaction_ops``).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.directory import Text
from chalicelib.domain.errors import NotFound
from chalicelib.domain.references import new_token
from chalicelib.domain.surveys import Kind, Rated, Survey, new_survey_id
from chalicelib.services.citizen_messages import Contact, public_link
from chalicelib.services.context import Context
from chalicelib.services.kpi_counts import survey_answer_counted
from chalicelib.services.retries import keyed_hash, keyed_matches

PURPOSE = "survey"


def offer(ctx: Context, citizen: Contact, rated: Rated, language: str) -> str:
    """Opens a survey and returns its link for the citizen's message ("" if no message goes)."""
    if not (citizen.email or citizen.phone):
        return ""
    token = new_token()
    survey_id = new_survey_id()
    token_hash = keyed_hash(ctx.pseudonym_key, PURPOSE, token)
    ctx.surveys.open(Survey.open(rated, language, token_hash, ctx.clock.now(), survey_id))
    return public_link(ctx, language, "survey", f"id={survey_id}", token)


def _held(ctx: Context, survey_id: str, token: str | None) -> Survey:
    """The survey this token opens; a wrong token, an answered or an expired survey's old
    token and an unknown id look the same (404)."""
    survey = ctx.surveys.get(survey_id)
    if not survey.live(ctx.clock.now()):
        raise NotFound("survey")
    if survey.answered:
        # The token's hash is gone; the answer is told only to the one who held it, so the
        # second try from the same link gets its 409 rather than a 404.
        return survey
    if not keyed_matches(survey.token_hash, ctx.pseudonym_key, PURPOSE, token):
        raise NotFound("survey")
    return survey


@dataclass(frozen=True)
class SurveyView:
    """What the page shows: what is rated, by name; nothing about the citizen."""

    survey: Survey
    names: dict[str, Text]


def view(ctx: Context, survey_id: str, token: str | None) -> SurveyView:
    survey = _held(ctx, survey_id, token)
    return SurveyView(survey, names_of(ctx, survey.rated))


def answer(ctx: Context, held: SurveyView, score: int, comment: str) -> SurveyView:
    """Answers a survey the citizen opened with its token (``view``); the store takes only the
    first answer, with its satisfaction figure in the same transaction."""
    survey = held.survey
    counted = survey.answer(score, comment, ctx.clock.now())
    with ctx.effects.collect():  # the answer and its count: one transaction
        survey_answer_counted(ctx, counted)
        ctx.surveys.answer(survey)
    return held


def names_of(ctx: Context, rated: Rated) -> dict[str, Text]:
    names: dict[str, Text] = {}
    if rated.kind == Kind.CASE:
        if rated.agency in ctx.directory.agencies:
            names["agency"] = ctx.directory.agencies[rated.agency].name
        if rated.team in ctx.directory.teams:
            names["team"] = ctx.directory.teams[rated.team].name
        return names
    if rated.branch in ctx.catalogue.branches:
        names["branch"] = ctx.catalogue.branches[rated.branch].name
    if rated.service in ctx.catalogue.services:
        names["service"] = ctx.catalogue.services[rated.service].name
    return names

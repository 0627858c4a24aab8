"""Surveys in the table: ``SURVEY#<id>`` items, and one ``SATISFACTION#<day>`` item per answer.

``satisfaction_ops`` is the one place an answer turns into figures: it returns the writes that
join the answer's transaction. Today that is one answer item per survey, under the Athens day,
which the KPI counters can count; counter updates for the same figure belong beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.errors import NotFound
from chalicelib.domain.surveys import Kind, Rated, SatisfactionFigure, Survey, SurveyAnswered

from .table import Absent, ConditionFailed, Equals, Item, Key, Operation, Put, Table
from .unit_of_work import defer

OPEN, ANSWERED = "open", "answered"
_RATED = ("agency", "team", "branch", "service")


def survey_key(survey_id: str) -> Key:
    return Key(f"SURVEY#{survey_id}", "SURVEY")


def satisfaction_ops(figure: SatisfactionFigure) -> list[Operation]:
    """The figure an answer adds, written in the answer's own transaction."""
    rated = figure.rated
    item: Item = {
        "pk": f"SATISFACTION#{figure.day.isoformat()}",
        "sk": figure.survey_id,
        "day": figure.day.isoformat(),
        "score": figure.score,
        "kind": rated.kind.value,
        **{name: getattr(rated, name) for name in _RATED if getattr(rated, name)},
    }
    return [Put(item, Absent())]


def survey_item(survey: Survey) -> Item:
    item: Item = {
        "pk": survey_key(survey.id).pk,
        "sk": "SURVEY",
        "kind": survey.rated.kind.value,
        "language": survey.language,
        "state": ANSWERED if survey.answered else OPEN,
        "created_at": survey.created_at.isoformat(),
        # DynamoDB's TTL attribute (seconds); the SQLite worker removes it alike.
        "expires_at": int(survey.expires_at.timestamp()),
        "comment": survey.comment,
    }
    item.update({n: getattr(survey.rated, n) for n in _RATED if getattr(survey.rated, n)})
    if survey.token_hash is not None:
        item["token_hash"] = survey.token_hash
    if survey.answered_at is not None:
        item["answered_at"] = survey.answered_at.isoformat()
        item["score"] = survey.score
    return item


def survey_of(item: Item) -> Survey:
    rated = Rated(Kind(item["kind"]), *(item.get(n) for n in _RATED))
    answered = item.get("answered_at")
    return Survey(
        id=item["pk"].removeprefix("SURVEY#"),
        rated=rated,
        language=item["language"],
        token_hash=item.get("token_hash"),
        created_at=datetime.fromisoformat(item["created_at"]),
        expires_at=datetime.fromtimestamp(int(item["expires_at"]), UTC),
        answered_at=datetime.fromisoformat(answered) if answered else None,
        score=int(item["score"]) if item.get("score") is not None else None,
        comment=item.get("comment") or "",
    )


class TableSurveys:
    def __init__(self, table: Table) -> None:
        self._table = table

    def open(self, survey: Survey) -> None:
        put = Put(survey_item(survey), Absent())
        if not defer(put):
            self._table.write(put)

    def get(self, survey_id: str) -> Survey:
        item = self._table.get(survey_key(survey_id))
        if item is None:
            raise NotFound("survey")
        return survey_of(item)

    def answer(self, survey: Survey, figure: SatisfactionFigure) -> None:
        answered = Put(survey_item(survey), Equals("state", OPEN))
        try:
            self._table.transact([answered, *satisfaction_ops(figure)])
        except ConditionFailed:
            raise SurveyAnswered("survey") from None

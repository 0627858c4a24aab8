"""Surveys in the table: ``SURVEY#<id>`` items. An answer is written with the KPI counters it
adds (carried from the unit of work), in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.errors import NotFound, SurveyAnswered
from chalicelib.domain.surveys import Kind, Rated, Survey

from .table import Absent, ConditionFailed, Equals, Item, Key, Put, Table
from .unit_of_work import carried, defer

OPEN, ANSWERED = "open", "answered"
_RATED = ("agency", "team", "branch", "service", "channel")


def survey_key(survey_id: str) -> Key:
    return Key(f"SURVEY#{survey_id}", "SURVEY")


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

    def answer(self, survey: Survey) -> None:
        answered = Put(survey_item(survey), Equals("state", OPEN))
        try:
            self._table.transact([answered, *carried()])
        except ConditionFailed:
            raise SurveyAnswered("survey") from None

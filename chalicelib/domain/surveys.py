"""Satisfaction surveys: one short question after a case is answered or an appointment served.

A survey names only what is rated (the agency and team of a case, the branch and service of an
appointment), never the citizen or the case: its answers feed the figures, not a file on
someone. The citizen holds the survey's token (only a keyed hash is stored); one answer each.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.domain.errors import InvalidInput, NotFound, SurveyAnswered
from chalicelib.domain.kpi_tallies import SurveyScore

LIFETIME = timedelta(days=30)  # then the store's TTL removes an unanswered survey
SCORES = range(1, 6)
MAX_COMMENT = 500


class Kind(StrEnum):
    CASE = "case"
    APPOINTMENT = "appointment"


@dataclass(frozen=True)
class Rated:
    """What a survey asks about: a case's agency, team and channel, or a booking's branch and
    service (with the service's agency and the booking's mode as its channel)."""

    kind: Kind
    agency: str | None = None
    team: str | None = None
    branch: str | None = None
    service: str | None = None
    channel: str | None = None


@dataclass
class Survey:
    id: str
    rated: Rated
    language: str
    token_hash: str | None  # None once answered: the token then opens nothing
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None = None
    score: int | None = None
    comment: str = ""

    @classmethod
    def open(
        cls, rated: Rated, language: str, token_hash: str, now: datetime, survey_id: str
    ) -> Survey:
        return cls(survey_id, rated, language, token_hash, now, now + LIFETIME)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def live(self, now: datetime) -> bool:
        # TTL removes expired items late (up to days in DynamoDB): expiry is judged here too.
        return now < self.expires_at

    def answer(self, score: int, comment: str, now: datetime) -> SurveyScore:
        """Records the citizen's answer and returns what it adds to the figures; the stored write
        is conditioned on no earlier one."""
        if not self.live(now):
            raise NotFound("survey")
        if self.answered:
            raise SurveyAnswered("survey")
        if score not in SCORES:
            raise InvalidInput("score", "invalid-choice")
        if len(comment) > MAX_COMMENT:
            raise InvalidInput("comment", "too-long", max=MAX_COMMENT)
        self.answered_at, self.score, self.comment = now, score, comment.strip()
        self.token_hash = None
        rated = self.rated
        place = rated.team or rated.branch or ""
        return SurveyScore(now, score, rated.agency or "", place, rated.channel or "")


def new_survey_id() -> str:
    # Not a secret (the token is); short enough for a link in a text message.
    return secrets.token_hex(8)

"""What satisfaction surveys need from a store."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.surveys import Survey


class SurveyRepository(Protocol):
    def open(self, survey: Survey) -> None:
        """Stores a new survey, in the open unit of work's transaction if there is one (the
        change that earned it and the message that carries its link)."""
        ...

    def get(self, survey_id: str) -> Survey:
        """The survey; NotFound if there is none (or the store's TTL removed it)."""
        ...

    def answer(self, survey: Survey) -> None:
        """Stores the answer and its figure in one transaction, only if the survey had no
        answer yet (SurveyAnswered otherwise: of two answers exactly one counts)."""
        ...

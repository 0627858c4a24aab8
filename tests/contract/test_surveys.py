"""Surveys in the store, over both stores: a survey exists only with the change and message
that carry its link, and of two answers at once exactly one counts."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from races import CompetitorFirst, losing_context, pk_starts_with
from support import CASE_BODY, TODAY, agent, outbox

from chalicelib import bootstrap
from chalicelib.adapters.table import Key, Operation
from chalicelib.api.citizen_schemas import CitizenIn
from chalicelib.config import Settings
from chalicelib.domain.errors import SurveyAnswered, VersionConflict
from chalicelib.services import cases, surveys
from chalicelib.services.kpi_report import kpi_report


class Recording(CompetitorFirst):
    """Remembers the keys of the transactions it was asked to run."""

    tried: tuple[Key, ...] = ()

    def transact(self, ops: Sequence[Operation]) -> None:
        self.tried = tuple(op.key for op in ops)
        super().transact(ops)


def claimed_case(ctx) -> tuple[str, int]:
    body = CASE_BODY
    command = cases.SubmitCase(
        body["agency"], body["topic"], body["subject"], body["description"], "el",
        CitizenIn.model_validate(body["citizen"]).to_domain(),
    )  # fmt: skip
    reference = cases.submit_case(ctx, command)["reference"]
    case = cases.act(ctx, agent(ctx, "maria"), reference, "claim", 1)
    return reference, case.version


def test_an_answer_that_loses_its_race_leaves_no_survey_and_no_message(ctx, table):
    reference, version = claimed_case(ctx)
    maria = agent(ctx, "maria")
    store = Recording(
        table,
        pk_starts_with("CASE#"),
        lambda: cases.act(ctx, maria, reference, "note", version, text="Πρώτα αυτό"),
    )
    victim = bootstrap.build(
        Settings(), clock=ctx.clock, table=store, timers=ctx.timers, notifier=ctx.notifier
    )  # type: ignore[arg-type]

    with pytest.raises(VersionConflict):
        cases.act(victim, maria, reference, "resolve", version, text="Απάντηση")

    assert store.raced
    offered = [key for key in store.tried if key.pk.startswith("SURVEY#")]
    assert len(offered) == 1  # the survey rode in the resolution's transaction...
    assert table.get(offered[0]) is None  # ...and went with it
    assert not [m for m in outbox(ctx) if m["template"] == "case_answered"]


def test_of_two_answers_at_once_exactly_one_counts(ctx, table):
    reference, version = claimed_case(ctx)
    cases.act(ctx, agent(ctx, "maria"), reference, "resolve", version, text="Απάντηση")
    body = next(m for m in outbox(ctx) if m["template"] == "case_answered")["body"]
    survey_id, token = body.split("#id=")[1].split()[0].split("&token=")
    held = surveys.view(ctx, survey_id, token)
    victim, store = losing_context(
        ctx, table, pk_starts_with("SURVEY#"),
        lambda: surveys.answer(ctx, surveys.view(ctx, survey_id, token), 2, ""),
    )  # fmt: skip

    with pytest.raises(SurveyAnswered):
        surveys.answer(victim, held, 5, "Άψογα")

    assert store.raced
    stored = ctx.surveys.get(survey_id)
    assert stored.score == 2 and stored.token_hash is None
    figures = kpi_report(ctx, agent(ctx, "sofia"), TODAY, TODAY, "efka")
    assert figures["satisfaction"]["responses"] == 1
    assert figures["satisfaction"]["distribution"]["2"] == 1

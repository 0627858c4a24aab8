"""Service-quality figures over both stores, from small hand-made sets of events driven
through the real services with the fake clock: every figure is read from the counters the
changes wrote in their own transactions."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from booking_fixtures import SYNTAGMA, book, set_capacity
from support import TODAY, TOMORROW, agent, at, phone, run_due_timers

from chalicelib.domain.callbacks import CallbackConfig, CallbackPolicy, Outcome, Roster
from chalicelib.domain.cases import Citizen
from chalicelib.domain.errors import SlotFull, VersionConflict
from chalicelib.domain.kpi_tallies import SurveyScore
from chalicelib.services import bookings, cases
from chalicelib.services import callbacks as callback_service
from chalicelib.services.kpi_counts import survey_answer_counted
from chalicelib.services.kpi_report import kpi_report, offered_capacity

DYPA_TOPIC = "unemployment-card"
CITIZEN = Citizen("Γιάννης Παπαδάκης", amka="15038512347", email="giannis@example.gr")


def report(ctx, agency: str, first=TODAY, last=TODAY, team: str | None = None) -> dict:
    return kpi_report(ctx, agent(ctx, "sofia"), first, last, agency, team)


def open_case(ctx) -> str:
    command = cases.SubmitCase("efka", "contributions", "Εισφορές", "Πότε;", "el", CITIZEN)
    return cases.submit_case(ctx, command)["reference"]


def act(ctx, who: str, reference: str, action: str, text: str = "") -> None:
    version = ctx.cases.get(reference).version
    cases.act(ctx, agent(ctx, who), reference, action, version, text=text)


def test_case_figures_count_openings_resolutions_by_tier_escalations_and_resolve_times(ctx, clock):
    answered_at_first, escalated, _left_to_its_deadline = (open_case(ctx) for _ in range(3))
    clock.set(at(TODAY, 9, 30))
    act(ctx, "maria", answered_at_first, "claim")
    act(ctx, "maria", answered_at_first, "resolve", "Στις 10 του μήνα.")
    act(ctx, "maria", escalated, "claim")
    act(ctx, "maria", escalated, "escalate", "Χρειάζεται την υποστήριξη.")
    clock.set(at(TODAY, 12))
    handed_to = ctx.cases.get(escalated).owner.agent  # support hands cases out in turn
    act(ctx, handed_to, escalated, "resolve", "Διορθώθηκε.")

    clock.set(at(TODAY, 18))  # tier 1 answers within 8 hours, first response within 2
    run_due_timers(ctx)

    figures = report(ctx, "efka")["cases"]
    assert figures["opened"] == 3
    assert figures["resolved"] == 2
    assert figures["resolved_by_tier"] == {"1": 1, "2": 1, "3": 0}
    assert figures["tier_share"] == {"1": 0.5, "2": 0.5, "3": 0.0}
    assert figures["first_contact_resolution"] == 0.5
    assert figures["escalations"] == {"deadline": 1, "manual": 1}
    assert figures["breached"] == 0
    # Two first responses in time, one missed; two answers in time, one tier target missed.
    assert figures["sla_first_response"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["sla_resolution"] == pytest.approx(2 / 3, abs=1e-4)
    # Resolved after half an hour (bucket 0-1 h) and after three hours (bucket 2-4 h).
    assert figures["median_hours_to_resolve"] == 1.0
    assert figures["p90_hours_to_resolve"] == 3.6
    assert figures["backlog"] == 1


def test_the_backlog_follows_the_case_to_the_team_that_owns_it(ctx, clock):
    reference = open_case(ctx)
    act(ctx, "maria", reference, "claim")
    act(ctx, "maria", reference, "escalate", "Για την υποστήριξη.")

    first_line = report(ctx, "efka", team="first-line")["cases"]
    support = report(ctx, "efka", team="efka-support")["cases"]

    assert (first_line["backlog"], support["backlog"]) == (0, 1)
    assert (first_line["opened"], first_line["escalations"]["manual"]) == (1, 1)
    assert report(ctx, "dypa")["cases"]["opened"] == 0


def test_a_period_counts_only_its_own_days(ctx, clock):
    open_case(ctx)
    clock.set(at(TOMORROW, 10))
    open_case(ctx)

    assert report(ctx, "efka", TODAY, TODAY)["cases"]["opened"] == 1
    assert report(ctx, "efka", TOMORROW, TOMORROW)["cases"]["opened"] == 1
    assert report(ctx, "efka", TODAY, TOMORROW)["cases"]["opened"] == 2


def test_appointment_figures_count_bookings_visits_no_shows_and_cancellations(ctx, clock):
    katerina = agent(ctx, "katerina")
    missed = book(ctx, at(TODAY, 12), 1)
    served = book(ctx, at(TODAY, 13), 2)
    cancelled = book(ctx, at(TOMORROW, 10), 3)
    bookings.cancel(ctx, cancelled["code"], cancelled["manage_token"])
    clock.set(at(TODAY, 12, 20))
    run_due_timers(ctx)  # the 12:00 citizen never came
    clock.set(at(TODAY, 12, 55))
    for action in ("check-in", "served"):
        version = ctx.bookings.get(served["code"]).version
        bookings.staff_act(ctx, katerina, SYNTAGMA, served["code"], action, version)

    figures = report(ctx, "kep")["appointments"]

    assert {k: figures[k] for k in ("booked", "served", "no_show", "cancelled")} == {
        "booked": 3,
        "served": 1,
        "no_show": 1,
        "cancelled": 1,
    }
    assert ctx.bookings.get(missed["code"]).status.value == "no_show"
    # Two places were used on the day (one served, one wasted); tomorrow's was given back.
    capacity = offered_capacity(ctx, {"kep"}, None, TODAY, TODAY)
    assert capacity > 0
    assert figures["utilisation"] == round(2 / capacity, 4)
    tomorrow = report(ctx, "kep", TOMORROW, TOMORROW)["appointments"]
    assert tomorrow["utilisation"] == 0.0


ONE_TRY = CallbackConfig(
    rosters=(
        Roster(
            "first-line",
            frozenset({"*"}),
            {d: ((time(8), time(20)),) for d in range(6)},
            calls_per_agent=1,
            agents=2,
        ),
    ),
    policy=CallbackPolicy(max_attempts=1, retry_after=(timedelta(minutes=20),)),
)


def test_callback_figures_count_requests_reached_unreachable_and_missed_windows(ctx, clock):
    ctx.callback_config = ONE_TRY
    request = callback_service.RequestCallback
    for n, start in ((1, at(TODAY, 9)), (2, at(TODAY, 9)), (3, at(TODAY, 9, 30))):
        callback_service.request_callback(ctx, request("efka", phone(n), "el", start))
    maria = agent(ctx, "maria")
    for what in (Outcome.REACHED, Outcome.NO_ANSWER):
        claimed = callback_service.claim_next(ctx, maria)
        command = callback_service.RecordOutcome(what, claimed.version)
        callback_service.record_outcome(ctx, maria, claimed.reference, command)

    clock.set(at(TODAY, 10, 1))  # the 09:30 window ended with nobody calling
    run_due_timers(ctx)

    assert report(ctx, "efka")["callbacks"] == {
        "requested": 3,
        "reached": 1,
        "reached_first_try": 1,
        "unreachable": 1,
        "missed_windows": 1,
    }


def test_a_survey_answer_counts_towards_its_agency_and_team(ctx):
    answers = [(5, "efka-support"), (4, "efka-support"), (2, "first-line")]

    for score, team in answers:
        with ctx.effects.collect():
            survey_answer_counted(ctx, SurveyScore(at(TODAY, 11), score, "efka", team, "web"))

    figures = report(ctx, "efka")["satisfaction"]
    assert figures == {
        "responses": 3,
        "average": 3.67,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1},
    }
    assert report(ctx, "efka", team="first-line")["satisfaction"]["average"] == 2.0
    assert report(ctx, "dypa")["satisfaction"]["responses"] == 0


def test_a_transfer_moves_the_open_case_to_the_competent_agency_s_backlog(ctx):
    reference = open_case(ctx)
    act(ctx, "maria", reference, "claim")

    version = ctx.cases.get(reference).version
    cases.act(
        ctx,
        agent(ctx, "maria"),
        reference,
        "transfer",
        version,
        text="Αρμόδια η ΔΥΠΑ.",
        agency="dypa",
        topic=DYPA_TOPIC,
    )

    assert report(ctx, "efka")["cases"]["backlog"] == 0
    assert report(ctx, "dypa")["cases"]["backlog"] == 1
    # Opened where the citizen filed it: the transfer is no new case.
    assert report(ctx, "efka")["cases"]["opened"] == 1
    assert report(ctx, "dypa")["cases"]["opened"] == 0


def test_a_reopened_case_is_open_again_and_its_first_answer_still_counts(ctx, clock):
    reference = open_case(ctx)
    act(ctx, "maria", reference, "claim")
    act(ctx, "maria", reference, "resolve", "Στις 10 του μήνα.")
    assert report(ctx, "efka")["cases"]["backlog"] == 0

    act(ctx, "sofia", reference, "reopen", "Ο πολίτης ζήτησε διευκρίνιση.")

    figures = report(ctx, "efka")["cases"]
    assert (figures["backlog"], figures["resolved"]) == (1, 1)


def test_a_refused_booking_counts_nothing(ctx):
    set_capacity(ctx, 1)
    book(ctx, at(TODAY, 12), 1)

    with pytest.raises(SlotFull):
        book(ctx, at(TODAY, 12), 2)

    figures = report(ctx, "kep")["appointments"]
    assert figures["booked"] == 1
    capacity = offered_capacity(ctx, {"kep"}, None, TODAY, TODAY)
    assert figures["utilisation"] == round(1 / capacity, 4)


def test_an_action_on_a_stale_case_counts_nothing(ctx):
    reference = open_case(ctx)
    act(ctx, "maria", reference, "claim")
    stale = ctx.cases.get(reference).version - 1

    with pytest.raises(VersionConflict):
        cases.act(ctx, agent(ctx, "maria"), reference, "resolve", stale, text="Απάντηση")

    figures = report(ctx, "efka")["cases"]
    assert (figures["resolved"], figures["backlog"]) == (0, 1)

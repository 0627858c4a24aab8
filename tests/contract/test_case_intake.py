"""Case intake over both stores: submit, track, agent actions, deadlines, idempotency."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest
from support import agent, outbox, run_due_timers

from chalicelib.adapters.local_timers import TableTimers
from chalicelib.domain.cases import Citizen, Status
from chalicelib.domain.errors import IdempotencyMismatch, NotFound, VersionConflict
from chalicelib.domain.local_time import ATHENS
from chalicelib.services import cases as service
from chalicelib.services.retries import Idempotency

CITIZEN = Citizen("Γιάννης Παπαδάκης", amka="15038512347", email="giannis@example.gr")


def submit(ctx, agency="efka", topic="contributions", **kwargs):
    command = service.SubmitCase(agency, topic, "Εισφορές", "Πότε πληρώνονται;", "el", CITIZEN)
    return service.submit_case(ctx, command, **kwargs)


def test_a_submitted_case_is_tracked_with_its_token_and_hidden_without_it(ctx):
    receipt = submit(ctx)

    case = service.track_case(ctx, receipt["reference"], receipt["tracking_token"])

    assert case.status == Status.NEW and case.owner.team == "first-line"
    with pytest.raises(NotFound):
        service.track_case(ctx, receipt["reference"], "wrong-token")
    with pytest.raises(NotFound):
        service.track_case(ctx, receipt["reference"], None)


def test_the_citizen_is_told_the_case_was_received_in_their_language(ctx):
    receipt = submit(ctx)

    [message] = outbox(ctx)

    assert message["template"] == "case_received"
    assert message["language"] == "el"
    assert message["email"] == "giannis@example.gr"
    assert receipt["reference"] in message["subject"]
    assert receipt["tracking_token"] in message["body"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_receipt(ctx):
    key = Idempotency("k-1", "fingerprint-a")

    first = submit(ctx, idempotency=key)
    second = submit(ctx, idempotency=key)

    assert second == first
    assert len(ctx.cases.queue("first-line")) == 1


def test_the_same_idempotency_key_with_another_body_is_refused(ctx):
    submit(ctx, idempotency=Idempotency("k-1", "fingerprint-a"))

    with pytest.raises(IdempotencyMismatch):
        submit(ctx, idempotency=Idempotency("k-1", "fingerprint-b"))

    assert len(ctx.cases.queue("first-line")) == 1


def test_concurrent_retries_with_one_key_create_one_case(ctx):
    key = Idempotency("k-race", "fingerprint")

    with ThreadPoolExecutor(8) as pool:
        receipts = list(pool.map(lambda _: submit(ctx, idempotency=key), range(8)))

    assert len({r["reference"] for r in receipts}) == 1
    assert len(ctx.cases.queue("first-line")) == 1


def test_an_agent_works_a_case_from_claim_to_resolution_with_history(ctx, clock):
    ref = submit(ctx)["reference"]
    maria = agent(ctx, "maria")

    case = service.act(ctx, maria, ref, "claim", 1)
    case = service.act(ctx, maria, ref, "note", case.version, text="Έλεγχος στο μητρώο")
    clock.advance(timedelta(minutes=30))
    case = service.act(ctx, maria, ref, "resolve", case.version, text="Πληρώνονται στις 10.")

    stored = ctx.cases.get(ref)
    assert stored.status == Status.RESOLVED and stored.answer == "Πληρώνονται στις 10."
    assert [e.action for e in stored.history] == ["opened", "claimed", "note", "resolved"]
    assert stored.version == 4
    assert outbox(ctx)[0]["template"] == "case_answered"
    assert ctx.cases.queue("first-line") == []


def test_a_stale_version_is_refused_and_changes_nothing(ctx):
    ref = submit(ctx)["reference"]
    service.act(ctx, agent(ctx, "maria"), ref, "claim", 1)

    with pytest.raises(VersionConflict):
        service.act(ctx, agent(ctx, "maria"), ref, "note", 1, text="late")

    assert [e.action for e in ctx.cases.get(ref).history] == ["opened", "claimed"]


def test_of_two_agents_claiming_at_once_exactly_one_wins(ctx):
    ref = submit(ctx)["reference"]

    def claim(name):
        try:
            service.act(ctx, agent(ctx, name), ref, "claim", 1)
            return name
        except (VersionConflict, service.InvalidTransition):
            return None

    with ThreadPoolExecutor(2) as pool:
        winners = [w for w in pool.map(claim, ["maria", "nikos"]) if w]

    assert len(winners) == 1
    assert ctx.cases.get(ref).owner.agent == winners[0]


def test_the_queue_lists_open_cases_of_my_teams_oldest_due_first(ctx, clock):
    older = submit(ctx)["reference"]
    clock.advance(timedelta(minutes=5))
    newer = submit(ctx, agency="dypa", topic="training")["reference"]

    queue = service.queue(ctx, agent(ctx, "maria"))

    assert [c.reference for c in queue] == [older, newer]
    assert service.queue(ctx, agent(ctx, "eleni")) == []


def test_a_passed_deadline_escalates_tier_by_tier_and_breaches_at_the_top(ctx, clock):
    ref = submit(ctx)["reference"]

    clock.advance(timedelta(hours=8))  # tier 1: 8 hours around the clock
    run_due_timers(ctx)
    at_tier_2 = ctx.cases.get(ref)
    clock.advance(timedelta(days=7))  # tier 2: 24 office hours
    run_due_timers(ctx)
    at_tier_3 = ctx.cases.get(ref)
    clock.advance(timedelta(days=30))  # tier 3: 80 office hours
    run_due_timers(ctx)
    breached = ctx.cases.get(ref)

    assert (at_tier_2.tier, at_tier_2.status) == (2, Status.ASSIGNED)  # round-robin team
    assert at_tier_2.owner.agent in {"eleni", "petros"}
    assert (at_tier_3.tier, at_tier_3.owner.team) == (3, "efka-backoffice")
    assert breached.is_breached
    assert [c.reference for c in ctx.cases.breached()] == [ref]
    reasons = [e.note for e in breached.history if e.action == "escalated"]
    assert reasons == ["deadline", "deadline"]


def test_round_robin_hands_escalated_cases_to_the_team_agents_in_turn(ctx, clock):
    refs = [submit(ctx)["reference"] for _ in range(4)]

    for ref in refs:
        case = ctx.cases.get(ref)
        service.act(ctx, agent(ctx, "maria"), ref, "escalate", case.version, text="Τμήμα")

    owners = [ctx.cases.get(ref).owner.agent for ref in refs]
    assert sorted(owners) == ["eleni", "eleni", "petros", "petros"]
    assert owners[0] != owners[1]


def test_a_dropped_timer_is_caught_by_the_sweeper(ctx, clock):
    ref = submit(ctx)["reference"]
    timers = ctx.timers
    assert isinstance(timers, TableTimers)
    for timer in timers.due(clock.now() + timedelta(days=365)):
        timers.done(timer)  # the message is lost

    clock.advance(timedelta(hours=8))
    run_due_timers(ctx)

    assert ctx.cases.get(ref).tier == 2


def test_a_duplicated_timer_escalates_only_once(ctx, clock):
    ref = submit(ctx)["reference"]
    clock.advance(timedelta(hours=8))

    first = service.handle_deadline(ctx, ref)
    second = service.handle_deadline(ctx, ref)

    assert "escalated" in first and second == []
    case = ctx.cases.get(ref)
    assert case.tier == 2
    assert [e.action for e in case.history].count("escalated") == 1


def test_a_case_resolved_before_its_deadline_is_not_touched(ctx, clock):
    ref = submit(ctx)["reference"]
    service.act(ctx, agent(ctx, "maria"), ref, "claim", 1)
    service.act(ctx, agent(ctx, "maria"), ref, "resolve", 2, text="Απάντηση")
    version = ctx.cases.get(ref).version

    clock.advance(timedelta(days=60))
    run_due_timers(ctx)
    service.handle_deadline(ctx, ref)

    case = ctx.cases.get(ref)
    assert (case.status, case.tier, case.version) == (Status.RESOLVED, 1, version)


def test_while_awaiting_the_citizen_no_deadline_fires_and_the_reply_resumes_the_clock(ctx, clock):
    receipt = submit(ctx)
    ref, token = receipt["reference"], receipt["tracking_token"]
    service.act(ctx, agent(ctx, "maria"), ref, "claim", 1)
    service.act(ctx, agent(ctx, "maria"), ref, "request-info", 2, text="Αριθμός μητρώου;")

    clock.advance(timedelta(days=3))
    run_due_timers(ctx)
    waiting = ctx.cases.get(ref)
    service.citizen_reply(ctx, ref, token, "ΑΜ 12345")
    clock.advance(timedelta(hours=7, minutes=59))
    run_due_timers(ctx)

    assert (waiting.status, waiting.tier) == (Status.AWAITING_CITIZEN, 1)
    assert ctx.cases.get(ref).tier == 1
    assert [m["template"] for m in outbox(ctx)][:1] == ["case_info_requested"]


def test_a_citizen_can_chase_past_the_promised_date_once_a_day_and_it_rises_in_the_queue(
    ctx, clock
):
    late = submit(ctx)
    clock.advance(timedelta(hours=1))
    submit(ctx)
    promised = date.fromisoformat(late["promised_by"])
    clock.set(datetime.combine(promised + timedelta(days=1), time(), tzinfo=ATHENS))

    # the sweeper has not run yet: the case is still at tier 1 and past the promised date
    service.chase(ctx, late["reference"], late["tracking_token"])

    queue = service.queue(ctx, agent(ctx, "maria"))
    assert queue[0].reference == late["reference"] and queue[0].is_chased()
    assert outbox(ctx)[0]["template"] == "case_chased"
    with pytest.raises(service.TooSoon):
        service.chase(ctx, late["reference"], late["tracking_token"])


def _chased(ctx, clock) -> dict:
    late = submit(ctx)
    promised = date.fromisoformat(late["promised_by"])
    clock.set(datetime.combine(promised + timedelta(days=1), time(), tzinfo=ATHENS))
    service.chase(ctx, late["reference"], late["tracking_token"])
    return late


def test_a_chase_is_written_to_the_owning_teams_configured_supervisors(ctx, clock):
    ctx.supervisor_contacts = {"first-line": "1555-sup@example.gov.gr", "*": "ops@example.gov.gr"}

    _chased(ctx, clock)

    [chased] = [m for m in outbox(ctx) if m["template"] == "case_chased"]
    assert chased["email"] == "1555-sup@example.gov.gr"


def test_with_no_supervisors_address_a_chase_still_counts_and_writes_no_message(ctx, clock):
    ctx.supervisor_contacts = {}

    late = _chased(ctx, clock)

    assert ctx.cases.get(late["reference"]).is_chased()
    assert [m["template"] for m in outbox(ctx)] == ["case_received"]


def test_the_promised_date_is_stored_once_and_survives_every_escalation(ctx, clock):
    receipt = submit(ctx)

    for step in (timedelta(hours=8), timedelta(days=7)):
        clock.advance(step)
        run_due_timers(ctx)
    case = service.track_case(ctx, receipt["reference"], receipt["tracking_token"])

    assert case.tier == 3
    assert case.promised_by.isoformat() == receipt["promised_by"]
    with pytest.raises(service.NotYetDue):
        service.chase(ctx, receipt["reference"], receipt["tracking_token"])


def test_the_receipt_message_shows_the_promised_date_not_an_hour_of_the_night(ctx):
    receipt = submit(ctx)

    [message] = outbox(ctx)

    promised = date.fromisoformat(receipt["promised_by"]).strftime("%d/%m/%Y")
    assert f"έως {promised}" in message["body"]
    assert "01:30" not in message["body"] and "17:00" not in message["body"]


def test_a_case_transferred_to_the_competent_agency_tells_the_citizen(ctx):
    ref = submit(ctx)["reference"]
    maria = agent(ctx, "maria")
    service.act(ctx, maria, ref, "claim", 1)

    case = service.act(
        ctx,
        maria,
        ref,
        "transfer",
        2,
        text="Αρμόδια η ΔΥΠΑ",
        agency="dypa",
        topic="unemployment-benefit",
    )

    assert (case.agency, case.transferred_from) == ("dypa", "efka")
    assert outbox(ctx)[0]["template"] == "case_transferred"
    assert "ΔΥΠΑ" in outbox(ctx)[0]["body"]

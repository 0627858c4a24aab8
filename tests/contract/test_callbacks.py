"""Callbacks over both stores: windows and capacity, one open callback per phone, claim-next,
outcomes and retries, the linked case, missed windows, cancellation, idempotency."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from support import PHONE, START, TODAY, TOMORROW, agent, at, outbox, run_due_timers

from chalicelib.adapters.callback_items import lock_key
from chalicelib.adapters.pseudonyms import citizen_partition
from chalicelib.adapters.table import Key
from chalicelib.domain.callbacks import CallbackConfig, CallbackPolicy, Outcome, Roster, Status
from chalicelib.domain.cases import Citizen
from chalicelib.domain.cases import Status as CaseStatus
from chalicelib.domain.errors import (
    CallbackExists,
    Forbidden,
    IdempotencyMismatch,
    InvalidInput,
    InvalidTransition,
    NoCallbackDue,
    NotFound,
    VersionConflict,
    WindowFull,
)
from chalicelib.services import callbacks as service
from chalicelib.services import cases
from chalicelib.services.retries import Idempotency

HOURLY = timedelta(hours=1)
WEEKDAYS = {d: ((time(8), time(20)),) for d in range(6)}
# Two places per half-hour window at first line; DYPA calls back on the hour, mornings only.
CONFIG = CallbackConfig(
    rosters=(
        Roster("dypa-support", frozenset({"dypa"}), {0: ((time(9), time(12)),)}, HOURLY),
        Roster("first-line", frozenset({"*"}), WEEKDAYS, calls_per_agent=1, agents=2),
    ),
    policy=CallbackPolicy(
        max_attempts=3,
        retry_after=(timedelta(minutes=20), timedelta(hours=1)),
        horizon=timedelta(days=7),
    ),
)


@pytest.fixture
def cb(ctx):
    ctx.callback_config = CONFIG
    return ctx


def book(ctx, window_start=None, phone=PHONE, agency="efka", **kwargs):
    booked_by = kwargs.pop("booked_by", None)
    idempotency = kwargs.pop("idempotency", None)
    command = service.RequestCallback(agency, phone, "el", window_start, **kwargs)
    return service.request_callback(ctx, command, idempotency=idempotency, booked_by=booked_by)


def open_case(ctx, citizen=None):
    citizen = citizen or Citizen("Γιάννης", amka="15038512347", email="g@example.gr", phone=PHONE)
    command = cases.SubmitCase("efka", "pension", "Σύνταξη", "Πότε;", "el", citizen)
    return cases.submit_case(ctx, command)


def outcome(ctx, name, reference, what, **kwargs):
    version = ctx.callbacks.get(reference).version
    command = service.RecordOutcome(Outcome(what), version, **kwargs)
    return service.record_outcome(ctx, agent(ctx, name), reference, command)


def stored(ctx, reference):
    return ctx.callbacks.get(reference)


# --- windows and booking --------------------------------------------------------------


def test_a_booked_callback_waits_in_its_window_and_takes_one_place(cb):
    receipt = book(cb, at(TOMORROW, 10))

    callback = service.track(cb, receipt["reference"], receipt["token"])
    windows = dict(service.windows(cb, "efka", TOMORROW))
    assert receipt["status"] == "scheduled"
    assert receipt["window"] == {
        "start": at(TOMORROW, 10).isoformat(),
        "end": at(TOMORROW, 10, 30).isoformat(),
    }
    assert callback.owner.team == "first-line" and callback.owner.agent is None
    assert [r for w, r in windows.items() if w.start == at(TOMORROW, 10)] == [1]
    assert [r for w, r in windows.items() if w.start == at(TOMORROW, 11)] == [2]


def test_the_citizen_gets_a_text_with_the_window_and_a_link_to_cancel(cb):
    receipt = book(cb, at(TOMORROW, 10))

    [message] = outbox(cb)

    assert message["template"] == "callback_scheduled"
    assert message["phone"] == PHONE
    assert "02/12/2026 10:00-10:30" in message["subject"]
    assert receipt["token"] in message["body"]


def test_the_link_in_the_text_is_absolute_on_the_public_site_even_without_a_request(cb):
    cb.public_url = "https://citizen.example.gr"
    book(cb, at(TOMORROW, 10))

    [message] = outbox(cb)

    links = re.findall(r"\S*/callback/status/\S*", message["body"])
    assert links
    assert all(link.startswith("https://citizen.example.gr/el/callback/status/") for link in links)


def test_windows_already_started_are_not_offered(cb):
    offered = [w.start for w, _ in service.windows(cb, "efka", TODAY)]

    assert offered[0] == at(TODAY, 9)
    assert at(TODAY, 8, 30) not in offered


def test_a_full_window_refuses_the_next_booking_and_changes_nothing(cb, table):
    book(cb, at(TOMORROW, 10), phone="+306900000001")
    book(cb, at(TOMORROW, 10), phone="+306900000002")

    with pytest.raises(WindowFull):
        book(cb, at(TOMORROW, 10), phone="+306900000003")

    assert table.get(lock_key("efka", "+306900000003")) is None
    assert table.query(citizen_partition("phone", "+306900000003")) == []
    assert (
        dict((w.start, r) for w, r in service.windows(cb, "efka", TOMORROW))[at(TOMORROW, 10)] == 0
    )


def test_a_phone_holds_one_open_callback_per_agency(cb):
    book(cb, at(TOMORROW, 10))

    with pytest.raises(CallbackExists):
        book(cb, at(TOMORROW, 11))

    other_agency = book(cb, at(TOMORROW + timedelta(days=5), 9), agency="dypa")
    assert other_agency["status"] == "scheduled"
    assert (
        dict((w.start, r) for w, r in service.windows(cb, "efka", TOMORROW))[at(TOMORROW, 11)] == 2
    )


def test_as_soon_as_possible_takes_the_earliest_window_with_room(cb):
    book(cb, at(TODAY, 9), phone="+306900000001")
    book(cb, at(TODAY, 9), phone="+306900000002")

    receipt = book(cb, None)

    assert receipt["window"]["start"] == at(TODAY, 9, 30).isoformat()


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (at(TODAY, 8, 30), "window-past"),
        (at(TOMORROW, 10, 15), "not-a-window"),
        (at(TOMORROW, 21), "not-a-window"),
        (at(TODAY + timedelta(days=8), 10), "window-too-far"),
    ],
    ids=["started", "misaligned", "after-hours", "beyond-horizon"],
)
def test_a_window_that_cannot_be_booked_is_refused_on_its_field(cb, start, code, table):
    with pytest.raises(InvalidInput) as refused:
        book(cb, start)

    assert (refused.value.field, refused.value.message_code) == ("window_start", code)
    assert table.get(lock_key("efka", PHONE)) is None


def test_a_window_of_another_agencys_team_is_not_a_window_of_this_agency(cb):
    monday = TODAY + timedelta(days=6)
    half_past_nine = at(monday, 9, 30)  # a first-line window, not one of DYPA's hourly ones

    with pytest.raises(InvalidInput) as refused:
        book(cb, half_past_nine, agency="dypa")

    assert refused.value.message_code == "not-a-window"


def test_an_unknown_agency_or_topic_is_refused(cb):
    with pytest.raises(InvalidInput) as agency:
        book(cb, at(TOMORROW, 10), agency="nasa")
    with pytest.raises(InvalidInput) as topic:
        book(cb, at(TOMORROW, 10), topic="astronauts")

    assert agency.value.field == "agency"
    assert topic.value.field == "topic"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_receipt(cb):
    key = Idempotency("cb-1", "fingerprint-a")

    first = book(cb, at(TOMORROW, 10), idempotency=key)
    second = book(cb, at(TOMORROW, 10), idempotency=key)

    assert second == first
    with pytest.raises(IdempotencyMismatch):
        book(cb, at(TOMORROW, 10), idempotency=Idempotency("cb-1", "fingerprint-b"))


# --- the linked case ------------------------------------------------------------------


def test_a_citizen_links_their_case_with_its_tracking_token_and_the_case_records_it(cb):
    case = open_case(cb)

    receipt = book(
        cb,
        at(TOMORROW, 10),
        case_reference=case["reference"],
        case_token=case["tracking_token"],
    )

    linked = cb.cases.get(case["reference"])
    assert receipt["case_reference"] == case["reference"]
    assert linked.history[-1].action == "callback_scheduled" and linked.history[-1].public
    mine = service.case_callbacks(cb, case["reference"], case["tracking_token"])
    assert [c.reference for c in mine] == [receipt["reference"]]


def test_a_case_without_its_token_cannot_be_linked(cb):
    case = open_case(cb)

    with pytest.raises(InvalidInput) as refused:
        book(cb, at(TOMORROW, 10), case_reference=case["reference"], case_token="guess")

    assert (refused.value.field, refused.value.message_code) == ("case_reference", "unknown-case")
    assert len(cb.cases.get(case["reference"]).history) == 1


def test_an_agent_books_during_a_call_and_links_any_case_of_an_agency_they_serve(cb):
    case = open_case(cb)

    receipt = book(cb, None, case_reference=case["reference"], booked_by=agent(cb, "maria"))

    callback = stored(cb, receipt["reference"])
    assert callback.channel == "phone" and callback.requested_by == "maria"
    assert callback.owner.team == "first-line"
    with pytest.raises(Forbidden):
        book(cb, None, phone="+306900000009", agency="efka", booked_by=agent(cb, "anna"))


# --- claim-next -----------------------------------------------------------------------


def test_claim_next_takes_the_oldest_window_first_then_the_earliest_request(cb, clock):
    late_window = book(cb, at(TODAY, 10), phone="+306900000001")["reference"]
    first_request = book(cb, at(TODAY, 9, 30), phone="+306900000002")["reference"]
    clock.advance(timedelta(minutes=1))
    second_request = book(cb, at(TODAY, 9, 30), phone="+306900000003")["reference"]
    clock.advance(timedelta(hours=1))

    order = [service.claim_next(cb, agent(cb, "maria")).reference for _ in range(3)]

    assert order == [first_request, second_request, late_window]
    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "maria"))


def test_nothing_is_due_before_its_window_starts(cb):
    book(cb, at(TODAY, 10))

    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "maria"))


def test_agents_claim_only_callbacks_of_their_teams(cb, clock):
    book(cb, at(TODAY, 9))

    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "eleni"))
    claimed = service.claim_next(cb, agent(cb, "nikos"))

    assert claimed.status == Status.CLAIMED
    assert claimed.owner.agent == "nikos"
    assert [c.reference for c in service.my_callbacks(cb, agent(cb, "nikos"))] == [
        claimed.reference
    ]


def test_a_claim_left_without_an_outcome_goes_back_to_the_team_after_the_hold(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    clock.advance(service.CLAIM_HOLD - timedelta(seconds=1))
    run_due_timers(cb)
    still_marias = stored(cb, ref)
    clock.advance(timedelta(seconds=1))
    run_due_timers(cb)
    released = stored(cb, ref)

    assert still_marias.status == Status.CLAIMED and still_marias.owner.agent == "maria"
    assert released.owner.agent is None
    # Released after its window ended: missed, the citizen chooses another window.
    assert [e.action for e in released.history][-2:] == ["claim_expired", "window_missed"]
    assert released.status == Status.MISSED
    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "nikos"))


def test_a_claim_whose_call_was_recorded_is_not_released_by_its_timer(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))
    outcome(cb, "maria", ref, "reached")
    version = stored(cb, ref).version

    clock.advance(service.CLAIM_HOLD)
    run_due_timers(cb)

    assert stored(cb, ref).status == Status.REACHED
    assert stored(cb, ref).version == version


# --- outcomes and retries -------------------------------------------------------------


def test_no_answer_retries_after_the_backoff_and_comes_due_again(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    callback = outcome(cb, "maria", ref, "no_answer")

    assert callback.status == Status.SCHEDULED and callback.owner.agent is None
    assert callback.due_at == START + timedelta(minutes=20)
    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "nikos"))
    clock.advance(timedelta(minutes=20))
    assert service.claim_next(cb, agent(cb, "nikos")).reference == ref


def test_a_retry_is_passed_over_until_due_then_goes_before_later_requests_of_its_window(cb, clock):
    roomy = Roster("first-line", frozenset({"*"}), WEEKDAYS, calls_per_agent=3, agents=2)
    cb.callback_config = CallbackConfig((roomy,), CONFIG.policy)
    retried = book(cb, at(TODAY, 9, 30), phone="+306900000001")["reference"]
    clock.advance(timedelta(minutes=1))
    later = book(cb, at(TODAY, 9, 30), phone="+306900000002")["reference"]
    clock.advance(timedelta(minutes=29))  # 09:30
    assert service.claim_next(cb, agent(cb, "maria")).reference == retried
    outcome(cb, "maria", retried, "no_answer")  # due again at 09:50, same window

    passed_over = service.claim_next(cb, agent(cb, "nikos")).reference
    outcome(cb, "nikos", later, "busy")  # due again at 09:50 too, but requested later
    clock.advance(timedelta(minutes=20))
    first_once_due = service.claim_next(cb, agent(cb, "nikos")).reference

    assert passed_over == later
    assert first_once_due == retried


def test_a_retry_too_close_to_the_end_of_a_window_goes_to_the_next_one(cb, clock):
    clock.advance(timedelta(minutes=5))
    ref = book(cb, at(TODAY, 9, 30))["reference"]
    clock.advance(timedelta(minutes=30))  # 09:35
    service.claim_next(cb, agent(cb, "maria"))

    callback = outcome(cb, "maria", ref, "busy")

    # 09:55 leaves five minutes of the 09:30 window: the retry waits for 10:00.
    assert callback.window.start == at(TODAY, 10)
    assert callback.due_at == at(TODAY, 10)


def test_a_retry_skips_windows_that_are_full(cb, clock):
    book(cb, at(TODAY, 9, 30), phone="+306900000001")
    book(cb, at(TODAY, 9, 30), phone="+306900000002")
    book(cb, at(TODAY, 9), phone="+306900000003")
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))
    service.claim_next(cb, agent(cb, "nikos"))

    callback = outcome(cb, stored(cb, ref).owner.agent, ref, "no_answer")

    # Due at 09:20, but the 09:00 and 09:30 windows have no place left.
    assert callback.window.start == at(TODAY, 10)


def test_after_the_last_attempt_the_citizen_gets_a_message_and_the_case_records_it(cb, clock):
    case = open_case(cb)
    ref = book(
        cb, at(TODAY, 9), case_reference=case["reference"], case_token=case["tracking_token"]
    )["reference"]

    for _ in range(3):
        clock.advance(timedelta(hours=1))
        service.claim_next(cb, agent(cb, "maria"))
        callback = outcome(cb, "maria", ref, "no_answer")

    assert callback.status == Status.UNREACHABLE
    assert [a.outcome for a in callback.attempts] == [Outcome.NO_ANSWER] * 3
    message = outbox(cb)[0]
    assert message["template"] == "callback_unreachable"
    assert message["phone"] == PHONE and message["email"] == "g@example.gr"
    actions = [e.action for e in cb.cases.get(case["reference"]).history]
    assert actions.count("callback_no_answer") == 3
    assert actions[-1] == "callback_unreachable"
    assert book(cb, None)["status"] == "scheduled"  # the phone may ask again


def test_a_reached_callback_resolves_its_case_in_the_same_step(cb):
    case = open_case(cb)
    ref = book(
        cb, at(TODAY, 9), case_reference=case["reference"], case_token=case["tracking_token"]
    )["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    callback = outcome(
        cb, "maria", ref, "reached", case_action="resolve", text="Εγκρίθηκε τον Νοέμβριο."
    )

    resolved = cb.cases.get(case["reference"])
    assert callback.status == Status.REACHED
    assert resolved.status == CaseStatus.RESOLVED
    assert resolved.answer == "Εγκρίθηκε τον Νοέμβριο."
    assert "callback_reached" in [e.action for e in resolved.history]
    assert outbox(cb)[0]["template"] == "case_answered"


def test_a_reached_callback_escalates_its_case(cb):
    case = open_case(cb)
    ref = book(
        cb, at(TODAY, 9), case_reference=case["reference"], case_token=case["tracking_token"]
    )["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    outcome(cb, "maria", ref, "reached", case_action="escalate", text="Χρειάζεται ο φορέας.")

    escalated = cb.cases.get(case["reference"])
    assert escalated.tier == 2 and escalated.owner.team == "efka-support"


def test_a_case_action_the_case_refuses_changes_neither_the_case_nor_the_callback(cb):
    case = open_case(cb)
    ref = book(
        cb, at(TODAY, 9), case_reference=case["reference"], case_token=case["tracking_token"]
    )["reference"]
    claimed = service.claim_next(cb, agent(cb, "maria"))
    before = cb.cases.get(case["reference"])

    with pytest.raises(InvalidInput):
        outcome(cb, "maria", ref, "reached", case_action="resolve", text="   ")

    assert stored(cb, ref).version == claimed.version
    assert stored(cb, ref).status == Status.CLAIMED
    assert cb.cases.get(case["reference"]).version == before.version


def test_a_case_action_needs_a_reached_callback_with_a_case(cb):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    with pytest.raises(InvalidInput) as not_reached:
        outcome(cb, "maria", ref, "busy", case_action="resolve", text="x")
    with pytest.raises(InvalidInput) as no_case:
        outcome(cb, "maria", ref, "reached", case_action="resolve", text="x")

    assert not_reached.value.message_code == "callback-not-reached"
    assert no_case.value.message_code == "no-linked-case"


def test_a_wrong_number_closes_the_callback_and_writes_to_the_case_email(cb):
    case = open_case(cb)
    ref = book(
        cb, at(TODAY, 9), case_reference=case["reference"], case_token=case["tracking_token"]
    )["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    callback = outcome(cb, "maria", ref, "wrong_number")

    assert callback.status == Status.WRONG_NUMBER
    message = outbox(cb)[0]
    assert message["template"] == "callback_wrong_number"
    assert (message["email"], message["phone"]) == ("g@example.gr", None)


def test_only_the_holder_records_an_outcome_and_a_stale_version_is_a_conflict(cb):
    ref = book(cb, at(TODAY, 9))["reference"]
    claimed = service.claim_next(cb, agent(cb, "maria"))

    with pytest.raises(Forbidden):
        outcome(cb, "nikos", ref, "reached")
    with pytest.raises(VersionConflict):
        service.record_outcome(
            cb,
            agent(cb, "maria"),
            ref,
            service.RecordOutcome(Outcome.REACHED, claimed.version - 1),
        )

    assert stored(cb, ref).status == Status.CLAIMED


# --- missed windows -------------------------------------------------------------------


def test_a_window_that_ends_unclaimed_counts_as_missed_once_and_reaches_the_supervisor(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    sofia = agent(cb, "sofia")

    clock.advance(timedelta(minutes=30))
    run_due_timers(cb)
    run_due_timers(cb)

    overdue, counts = service.missed(cb, sofia)
    assert [c.reference for c in overdue] == [ref]
    assert counts["first-line"] == 1
    callback = stored(cb, ref)
    assert callback.missed_count == 1 and callback.status == Status.MISSED
    # Out of the agents' queue (the citizen chooses a new window); the day's list keeps it.
    with pytest.raises(NoCallbackDue):
        service.claim_next(cb, agent(cb, "maria"))
    assert [c.reference for c in service.missed(cb, sofia, TODAY)[0]] == [ref]
    assert service.missed(cb, sofia, TOMORROW) == ([], {"dypa-support": 0, "first-line": 0})


def test_a_missed_window_frees_the_phone_and_tells_the_citizen_how_to_choose_another(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]

    clock.advance(timedelta(minutes=30))
    run_due_timers(cb)
    again = book(cb, at(TODAY, 11))

    [told] = [m for m in outbox(cb) if m["template"] == "callback_missed"]
    assert told["phone"] == PHONE and ref in told["body"]
    assert f"{cb.public_url}/el/callback/" in told["body"]
    assert again["status"] == "scheduled" and again["reference"] != ref
    assert stored(cb, ref).status == Status.MISSED


def test_a_callback_claimed_before_its_window_ends_is_not_missed(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    clock.advance(timedelta(minutes=30))  # the window ends while maria holds the call
    run_due_timers(cb)

    assert service.missed(cb, agent(cb, "sofia")) == ([], {"dypa-support": 0, "first-line": 0})
    assert stored(cb, ref).owner.agent == "maria"


def test_a_claim_abandoned_past_its_window_is_released_and_shown_as_missed(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))

    clock.advance(timedelta(hours=1))
    run_due_timers(cb)

    overdue, counts = service.missed(cb, agent(cb, "sofia"))
    assert [c.reference for c in overdue] == [ref]
    assert counts["first-line"] == 1


def test_a_retry_that_is_not_claimed_in_its_window_is_missed_too(cb, clock):
    ref = book(cb, at(TODAY, 9))["reference"]
    service.claim_next(cb, agent(cb, "maria"))
    outcome(cb, "maria", ref, "no_answer")  # retry at 09:20 in the 09:00 window

    clock.advance(timedelta(minutes=30))
    run_due_timers(cb)

    assert stored(cb, ref).missed_count == 1


def test_only_supervisors_see_missed_callbacks(cb):
    with pytest.raises(Forbidden):
        service.missed(cb, agent(cb, "maria"))


# --- the citizen ----------------------------------------------------------------------


def test_a_citizen_cancels_with_the_token_and_the_place_and_the_phone_are_free_again(cb):
    receipt = book(cb, at(TOMORROW, 10))

    cancelled = service.cancel(cb, receipt["reference"], receipt["token"])

    assert cancelled.status == Status.CANCELLED
    remaining = dict((w.start, r) for w, r in service.windows(cb, "efka", TOMORROW))
    assert remaining[at(TOMORROW, 10)] == 2
    assert book(cb, at(TOMORROW, 10))["status"] == "scheduled"
    with pytest.raises(InvalidTransition):
        service.cancel(cb, receipt["reference"], receipt["token"])


def test_a_wrong_token_looks_like_an_unknown_callback(cb):
    receipt = book(cb, at(TOMORROW, 10))

    with pytest.raises(NotFound):
        service.track(cb, receipt["reference"], "wrong")
    with pytest.raises(NotFound):
        service.cancel(cb, receipt["reference"], None)

    assert stored(cb, receipt["reference"]).status == Status.SCHEDULED


def test_times_in_items_are_stored_in_utc_order(cb, table):
    receipt = book(cb, at(TOMORROW, 10))

    item = table.get(Key(f"CALLBACK#{receipt['reference']}", "CALLBACK"))

    due = at(TOMORROW, 10).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    assert item["gsi1pk"] == "CBQUEUE#first-line"
    assert item["gsi1sk"].startswith(due)


def test_the_support_agent_who_reaches_the_citizen_answers_a_case_still_at_the_first_line(ctx):
    case = open_case(ctx)  # an e-ΕΦΚΑ case, still at tier 1; e-ΕΦΚΑ calls back from tier 2
    receipt = book(ctx, None, case_reference=case["reference"], case_token=case["tracking_token"])
    ctx.clock.set(datetime.fromisoformat(receipt["window"]["start"]))
    claimed = service.claim_next(ctx, agent(ctx, "eleni"))

    outcome(ctx, "eleni", claimed.reference, "reached", case_action="resolve", text="Εγκρίθηκε.")

    resolved = ctx.cases.get(case["reference"])
    assert (resolved.status, resolved.tier, resolved.owner.agent) == (
        CaseStatus.RESOLVED,
        2,
        "eleni",
    )
    taken_over = [e for e in resolved.history if e.action == "escalated"]
    assert [(e.actor, e.note) for e in taken_over] == [("eleni", "callback")]

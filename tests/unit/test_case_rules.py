"""The life of a case, as pure rules: ownership, tiers, clocks, history."""

from datetime import datetime, time, timedelta

import pytest

from chalicelib.directory_data import load_directory
from chalicelib.domain.calendar import ATHENS
from chalicelib.domain.cases import Case, CaseRequest, Channel, Citizen, Status
from chalicelib.domain.directory import route
from chalicelib.domain.errors import Forbidden, InvalidTransition, NotYetDue, TooSoon
from chalicelib.services.context import WORKING_DAYS

DIRECTORY = load_directory()
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=ATHENS)


def routing(agency: str, topic: str, tier: int):
    return route(DIRECTORY, agency, topic, tier)


def new_case(now: datetime = MONDAY_9, logged_by: str | None = None) -> Case:
    return Case.open(
        reference="C-0000-00000",
        token_hash="x",
        request=CaseRequest(
            "efka",
            "contributions",
            "Εισφορές",
            "Ερώτηση",
            "el",
            Citizen("Α Β", email="a@example.gr"),
            Channel.PHONE if logged_by else Channel.WEB,
        ),
        now=now,
        route=routing("efka", "contributions", 1),
        working_days=WORKING_DAYS,
        policy=DIRECTORY.policy,
        logged_by=DIRECTORY.agents[logged_by] if logged_by else None,
    )


def agent(name: str):
    return DIRECTORY.agents[name]


def test_a_web_case_starts_owned_by_the_first_line_team_with_its_deadlines():
    case = new_case()

    assert case.status == Status.NEW
    assert (case.tier, case.owner.team, case.owner.agent) == (1, "first-line", None)
    assert case.clocks.resolution_due == MONDAY_9 + timedelta(hours=8)  # first line works 24/7
    assert case.clocks.warn_at == MONDAY_9 + timedelta(hours=8) * 0.8
    assert case.history[0].action == "opened"


def test_a_phone_call_is_charged_to_the_agent_who_logged_it():
    case = new_case(logged_by="maria")

    assert case.status == Status.ASSIGNED
    assert case.owner.agent == "maria"
    assert [e.action for e in case.history] == ["opened", "assigned"]


def test_the_statutory_deadline_counts_fifty_working_days_skipping_holidays():
    case = new_case()

    # From Tuesday 1 Dec: 10 weeks of 5 days, less Christmas, New Year's Day and Epiphany
    # (all weekdays in 2026/27), so the 50th working day is Thursday 11 Feb 2027.
    assert case.clocks.statutory_due == datetime(2027, 2, 12, 0, 0, tzinfo=ATHENS)


def test_only_a_member_of_the_owning_team_can_claim():
    case = new_case()

    with pytest.raises(Forbidden):
        case.claim(agent("eleni"), MONDAY_9)
    case.claim(agent("maria"), MONDAY_9)

    assert case.owner.agent == "maria"
    assert case.status == Status.ASSIGNED


def test_a_claimed_case_cannot_be_claimed_again_by_a_colleague():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)

    with pytest.raises(InvalidTransition):
        case.claim(agent("nikos"), MONDAY_9)


def test_escalation_moves_ownership_to_the_next_tier_team_and_restarts_the_tier_clock():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)
    later = MONDAY_9 + timedelta(hours=1)

    case.escalate_by_agent(agent("maria"), "Χρειάζεται έλεγχο μητρώου", later, routing)

    assert (case.status, case.tier, case.owner.team, case.owner.agent) == (
        Status.ESCALATED,
        2,
        "efka-support",
        None,
    )
    # Tier 2 works office hours: 24 business hours from Monday 10:00 = three 8-hour days.
    assert case.clocks.resolution_due == datetime(2026, 12, 3, 10, 0, tzinfo=ATHENS)
    assert case.history[-1].note == "Χρειάζεται έλεγχο μητρώου"
    assert case.history[-1].from_owner.agent == "maria"


def test_a_missed_tier_deadline_escalates_by_itself_and_a_missed_top_tier_deadline_breaches():
    case = new_case()

    first = case.on_deadlines(case.clocks.resolution_due, routing)
    second = case.on_deadlines(case.clocks.resolution_due, routing)
    third = case.on_deadlines(case.clocks.resolution_due, routing)

    assert "escalated" in first and "escalated" in second
    assert third == ["first_response_missed", "breached"]
    assert case.tier == 3 and case.is_breached
    assert case.next_deadline() is None
    assert [e.action for e in case.history if e.actor == "system"] == [
        "first_response_missed",
        "escalated",
        "first_response_missed",
        "escalated",
        "first_response_missed",
        "breached",
    ]


def test_handling_the_same_deadline_twice_changes_nothing_the_second_time():
    case = new_case()
    due = case.clocks.resolution_due
    case.on_deadlines(due, routing)
    events = len(case.history)

    again = case.on_deadlines(due, routing)

    assert again == []
    assert len(case.history) == events
    assert case.tier == 2


def test_the_owner_is_warned_once_at_eighty_percent_of_the_time():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)

    warn_at = case.clocks.warn_at

    warned = case.on_deadlines(warn_at, routing)
    again = case.on_deadlines(warn_at + timedelta(minutes=1), routing)

    assert "breach_warning" in warned
    assert "breach_warning" not in again
    assert case.clocks.warn_at == warn_at and case.clocks.warned


def test_the_clocks_stop_while_the_case_awaits_the_citizen():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)
    due, statutory = case.clocks.resolution_due, case.clocks.statutory_due
    case.request_info(
        agent("maria"), "Ποιος είναι ο αριθμός μητρώου σας;", MONDAY_9 + timedelta(hours=2)
    )

    assert case.next_deadline() is None
    assert case.on_deadlines(due + timedelta(days=3), routing) == []

    case.citizen_replied(
        "12345",
        MONDAY_9 + timedelta(days=2, hours=2),
        DIRECTORY.teams["first-line"].calendar,
        WORKING_DAYS,
    )

    assert case.status == Status.ASSIGNED
    assert case.clocks.resolution_due == due + timedelta(days=2)
    # Two working days paused: Friday 12 Feb 00:00 (end of Thursday) moves past the weekend.
    assert statutory == datetime(2027, 2, 12, 0, 0, tzinfo=ATHENS)
    assert case.clocks.statutory_due == datetime(2027, 2, 16, 0, 0, tzinfo=ATHENS)


def test_a_resolved_case_can_be_reopened_within_the_window_but_not_after():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)
    case.resolve(agent("maria"), "Η απάντηση", MONDAY_9 + timedelta(hours=1))
    late = new_case()
    late.claim(agent("maria"), MONDAY_9)
    late.resolve(agent("maria"), "Η απάντηση", MONDAY_9)

    case.reopen(
        "citizen", "Δεν απαντήθηκε", MONDAY_9 + timedelta(days=3), DIRECTORY.policy, routing
    )

    assert case.status == Status.REOPENED and case.owner == case.history[-1].owner
    with pytest.raises(InvalidTransition):
        late.reopen("citizen", "x", MONDAY_9 + timedelta(days=15), DIRECTORY.policy, routing)


def test_a_transfer_restarts_routing_but_keeps_the_statutory_deadline():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9)
    case.escalate_by_agent(agent("maria"), "x", MONDAY_9, routing)
    statutory = case.clocks.statutory_due

    case.transfer(
        agent("eleni"),
        "dypa",
        "unemployment-benefit",
        "Αρμόδια η ΔΥΠΑ",
        MONDAY_9 + timedelta(hours=1),
        routing,
    )

    assert (case.agency, case.tier, case.owner.team) == ("dypa", 1, "first-line")
    assert case.transferred_from == "efka"
    assert case.clocks.statutory_due == statutory


def test_the_promise_is_the_statutory_date_as_an_athens_day_and_escalations_never_move_it():
    case = new_case()
    promised = case.promised_by

    case.on_deadlines(case.clocks.resolution_due, routing)
    case.on_deadlines(case.clocks.resolution_due, routing)

    assert case.clocks.statutory_due == datetime.combine(
        promised + timedelta(days=1), time(), tzinfo=ATHENS
    )
    assert promised.weekday() < 5
    assert case.tier == 3 and case.promised_by == promised


def test_the_citizen_can_chase_only_once_the_promised_date_has_passed_and_once_a_day():
    case = new_case()
    day_after = datetime.combine(case.promised_by + timedelta(days=1), time(), tzinfo=ATHENS)

    case.on_deadlines(case.clocks.resolution_due, routing)  # tier 1 missed its own target
    with pytest.raises(NotYetDue):
        case.chase(case.clocks.tier_started_at, DIRECTORY.policy)
    with pytest.raises(NotYetDue):
        case.chase(day_after - timedelta(seconds=1), DIRECTORY.policy)
    case.chase(day_after, DIRECTORY.policy)
    with pytest.raises(TooSoon) as again:
        case.chase(day_after + timedelta(hours=2), DIRECTORY.policy)

    assert case.is_chased()
    assert again.value.retry_in == timedelta(hours=22)


def test_the_history_tells_time_spent_per_tier_and_per_owner():
    case = new_case()
    case.claim(agent("maria"), MONDAY_9 + timedelta(hours=1))
    case.escalate_by_agent(agent("maria"), "x", MONDAY_9 + timedelta(hours=3), routing)

    by_tier = case.time_by_tier(MONDAY_9 + timedelta(hours=5))
    by_owner = case.time_by_owner(MONDAY_9 + timedelta(hours=5))

    assert by_tier == {"1": timedelta(hours=3), "2": timedelta(hours=2)}
    assert by_owner == {
        "first-line": timedelta(hours=1),
        "first-line/maria": timedelta(hours=2),
        "efka-support": timedelta(hours=2),
    }


def test_a_transfer_after_the_notice_period_is_recorded_as_late():
    case = new_case()
    notice_due = WORKING_DAYS.add_working_days(
        MONDAY_9, DIRECTORY.policy.transfer_notice_working_days
    )
    on_time = new_case()

    on_time.transfer(
        agent("maria"),
        "dypa",
        "training",
        "ΔΥΠΑ",
        notice_due - timedelta(hours=1),
        routing,
        notice_due,
    )
    case.transfer(
        agent("maria"),
        "dypa",
        "training",
        "ΔΥΠΑ",
        notice_due + timedelta(hours=1),
        routing,
        notice_due,
    )

    assert notice_due == datetime(2026, 12, 8, 0, 0, tzinfo=ATHENS)  # end of Monday 7 Dec
    assert "transfer_notice_late" not in [e.action for e in on_time.history]
    assert [e.action for e in case.history][-2:] == ["transfer_notice_late", "transferred"]

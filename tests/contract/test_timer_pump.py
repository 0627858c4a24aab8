"""What a timer costs on SQS, and that it fires exactly once: timers wait in the table's due
index, the pump (every minute) hands each to SQS in its last fifteen minutes, and sends again,
once, a timer whose message was lost. Time moves by the injected clock; nothing sleeps."""

import json
import threading
from datetime import date, timedelta

import pytest
from booking_fixtures import book
from support import START, at, outbox
from timer_harness import aws_lambda

from chalicelib.adapters.aws.sqs_timers import LEAD, PAGE
from chalicelib.adapters.local_timers import GRACE, TableTimers
from chalicelib.ports import Timer
from chalicelib.services import cases, timers
from chalicelib.services.booking_common import REMINDER_TIMER

HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)


@pytest.fixture
def aws(clock):
    with aws_lambda(clock) as world:
        yield world


def walk_to(lam, due):
    """Hours at a time while nothing can be due (the pump finds nothing then either), then
    minute by minute, as the schedule runs it, until a while after ``due``."""
    lam.walk(due - HOUR, HOUR)
    lam.walk(due + 10 * MINUTE, MINUTE)


@pytest.fixture
def recorded(monkeypatch):
    """Every kind's handler replaced by one that records what fired."""
    fired = []
    for kind in list(timers.HANDLERS):
        monkeypatch.setitem(timers.HANDLERS, kind, lambda ctx, key, k=kind: fired.append((k, key)))
    return fired


def test_a_reminder_thirty_days_ahead_costs_one_message(aws):
    ctx, sqs, lam = aws
    code = book(ctx, at(date(2026, 12, 29), 10))["code"]
    due = ctx.bookings.get(code).reminder_due
    assert due - START > timedelta(days=27)

    walk_to(lam, due)

    assert sqs.count(Timer(REMINDER_TIMER, code, due)) == 1
    assert [m["template"] for m in outbox(ctx)].count("booking_reminder") == 1
    assert not ctx.timers.waiting(Timer(REMINDER_TIMER, code, due))


def test_a_fifty_working_day_deadline_costs_one_message(aws):
    ctx, sqs, lam = aws
    command = cases.SubmitCase(
        "efka", "contributions", "Εισφορές", "Ερώτηση", "el", cases.Citizen("Α Β", email="a@b.gr")
    )
    ref = cases.submit_case(ctx, command)["reference"]
    statutory = Timer(cases.DEADLINE_TIMER, ref, ctx.cases.get(ref).clocks.statutory_due)
    assert statutory.due_at - START > timedelta(days=69)
    ctx.timers.schedule(statutory)

    walk_to(lam, statutory.due_at)

    assert sqs.count(statutory) == 1
    assert not ctx.timers.waiting(statutory)
    # Every deadline of the case on the way cost one message each, not one per 15 minutes.
    assert all(sqs.count(m.timer) == 1 for m in sqs.sent)


def test_a_message_delivered_twice_fires_once(aws, clock, recorded):
    ctx, sqs, lam = aws
    timer = Timer("case-deadline", "C-1", clock.now() + 10 * MINUTE)
    ctx.timers.schedule(timer)  # within fifteen minutes: sent at once
    [message] = sqs.sent
    clock.advance(10 * MINUTE)

    lam.deliver(message)
    lam.deliver(message)

    assert recorded == [("case-deadline", "C-1")]


def test_two_pumps_at_once_send_each_timer_once(aws, clock):
    ctx, sqs, _ = aws
    due = [Timer("case-deadline", f"C-{n}", clock.now() + HOUR + n * MINUTE) for n in range(40)]
    for timer in due:
        ctx.timers.schedule(timer)
    clock.advance(2 * HOUR)
    start = threading.Barrier(2)

    def pump():
        start.wait()
        timers.pump(ctx)

    pumps = [threading.Thread(target=pump) for _ in range(2)]
    for thread in pumps:
        thread.start()
    for thread in pumps:
        thread.join()

    assert sorted(m.timer.key for m in sqs.sent) == sorted(t.key for t in due)


def test_a_pump_that_read_a_stale_page_does_not_send_it_again(table, clock):
    book_ = TableTimers(table, lead=LEAD)
    book_.schedule(Timer("booking-reminder", "B-1", clock.now() + HOUR))
    clock.advance(HOUR)
    [item] = book_.page(clock.now(), None, 10)

    first, second = book_.claim(item, clock.now()), book_.claim(item, clock.now())

    assert first is not None and second is None
    assert book_.page(clock.now(), None, 10) == []


@pytest.mark.parametrize("kind", sorted(timers.HANDLERS))
def test_a_lost_message_is_sent_again_and_fires_for_every_kind(aws, clock, recorded, kind):
    ctx, sqs, lam = aws
    timer = Timer(kind, "K-1", clock.now() + 3 * HOUR)
    ctx.timers.schedule(timer)
    clock.set(timer.due_at)
    lam.pump()
    assert sqs.drop_visible() == 1  # the message is lost

    lam.walk(timer.due_at + GRACE + 2 * MINUTE, MINUTE)

    assert recorded == [(kind, "K-1")]
    assert sqs.count(timer) == 2
    assert not ctx.timers.waiting(timer)


def test_a_timer_that_keeps_failing_is_sent_a_bounded_number_of_times(aws, clock, recorded):
    ctx, sqs, lam = aws
    timer = Timer("case-deadline", "C-9", clock.now() + HOUR)
    ctx.timers.schedule(timer)

    for _ in range(90):
        clock.advance(MINUTE)
        lam.pump()
        sqs.drop_visible()

    assert sqs.count(timer) == 4
    assert recorded == []


def test_a_backlog_is_drained_page_by_page_each_run_continuing_where_the_last_stopped(aws, clock):
    ctx, sqs, _ = aws
    backlog = [Timer("case-deadline", f"C-{n:03d}", clock.now() + HOUR) for n in range(250)]
    for timer in backlog:
        ctx.timers.schedule(timer)
    clock.advance(2 * HOUR)
    # The time budget allows two pages in the first run and one in each later run.
    budget = iter([True, False, False, False])

    runs = [timers.pump(ctx, lambda: next(budget)) for _ in range(3)]

    assert runs == [2 * PAGE, 250 - 2 * PAGE, 0]
    assert sorted(m.timer.key for m in sqs.sent) == [t.key for t in backlog]


def test_a_message_from_before_the_index_is_kept_in_it_without_bouncing(aws, clock):
    ctx, sqs, lam = aws
    timer = Timer("case-deadline", "C-1", clock.now() + timedelta(days=3))
    legacy = json.dumps({"kind": "case-deadline", "key": "C-1", "due_at": timer.due_at.isoformat()})
    event = lam.client.events.generate_sqs_event([legacy], "citizen-service-timers")

    lam.client.lambda_.invoke("on_timer", event)

    assert sqs.sent == [] and ctx.timers.waiting(timer)

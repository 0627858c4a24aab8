"""The use cases that wrote their message or timer after their change now write them in its
transaction: booking a callback (its window's end and the citizen's text), a claim (its
expiry), a missed window (the apology, from a timer), a booking's reminder and no-show (timers)
and a case's deadline (its next timer). A failing sender neither fails the request nor loses or
repeats a message (both stores)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TOMORROW, Api, CountedTable, at

from chalicelib.adapters.table import Put
from chalicelib.config import Settings
from chalicelib.ports import Message
from chalicelib.services import timers
from devtools.runtime import LocalRuntime

CALLBACK = {"agency": "efka", "window_start": at(TOMORROW, 8).isoformat(), "phone": "6912345678"}


class FlakySender:
    """An SMS/e-mail gateway that is down until ``recover()``; keeps what it delivered."""

    def __init__(self) -> None:
        self.up = False
        self.sent: list[Message] = []

    def recover(self) -> None:
        self.up = True

    def send(self, message: Message) -> None:
        if not self.up:
            raise ConnectionError("gateway unreachable")
        self.sent.append(message)


class Watched(CountedTable):
    def outbox_or_timer_puts(self) -> list[Any]:
        """Messages or timers written on their own, outside their change's transaction."""
        puts = [op for op in self.single if isinstance(op, Put)]
        return [op for op in puts if op.key.pk == "OUTBOX" or op.key.pk.startswith("TIMER#")]


@pytest.fixture
def watched(table, clock):
    from devtools.seed import seed_roster

    store = Watched(table)
    runtime = LocalRuntime(Settings(), table=store, clock=clock)  # type: ignore[arg-type]
    seed_roster(runtime.ctx)
    store.transactions = 0
    yield store, Api(runtime)


def _drain(api: Api, sender: FlakySender) -> int:
    return api.runtime.ctx.notifier.deliver(sender)


def _fire_due_timers(api: Api) -> None:
    """What the timer consumer does, without the local worker's own delivery of the outbox."""
    local = api.runtime.timers
    for timer in local.due(api.runtime.clock.now()):
        timers.fire(api.runtime.ctx, timer)
        local.done(timer)


def _timers_fire_while_the_gateway_is_down(
    api: Api, store: Watched, sender: FlakySender, when: datetime
) -> tuple[int, int, int]:
    """The due timers fire at ``when`` with the sender down: what a drain sends then, and what
    two drains send once it is back (the lease of the failed try has passed)."""
    sender.sent.clear()
    sender.up = False
    store.single.clear()
    api.runtime.clock.set(when)
    _fire_due_timers(api)
    down = _drain(api, sender)
    sender.recover()
    api.runtime.clock.advance(timedelta(minutes=2))
    return down, _drain(api, sender), _drain(api, sender)


def test_a_callback_its_window_end_and_its_text_are_one_transaction(watched):
    store, api = watched
    store.single.clear()

    booked = api.post("/api/v1/callbacks", CALLBACK)

    assert booked.status == 201, booked.body
    assert store.transactions == 1 and store.outbox_or_timer_puts() == []
    assert api.get("/api/v1/dev/outbox").body["messages"][0]["template"] == "callback_scheduled"


def test_a_failed_callback_transaction_leaves_no_timer_and_no_text(watched):
    store, api = watched
    store.fail = True

    assert api.post("/api/v1/callbacks", CALLBACK).status == 503

    assert store.table.query("OUTBOX") == []
    assert store.table.query("TIMERS", index="gsi2") == []


def test_a_callback_answers_201_while_the_gateway_is_down_and_its_text_goes_once(watched):
    _, api = watched
    sender = FlakySender()

    booked = api.post("/api/v1/callbacks", CALLBACK)
    down = _drain(api, sender)
    sender.recover()
    api.runtime.clock.advance(timedelta(minutes=2))
    first, second = _drain(api, sender), _drain(api, sender)

    assert booked.status == 201
    assert (down, first, second) == (0, 1, 0)
    [text] = sender.sent
    assert (text.template, text.phone) == ("callback_scheduled", "+306912345678")


def test_a_missed_window_marks_and_tells_the_citizen_in_one_transaction_once(watched):
    store, api = watched
    sender = FlakySender()
    assert api.post("/api/v1/callbacks", CALLBACK).status == 201
    sender.recover()
    _drain(api, sender)  # the booking's own text
    # The 08:00 window ended, nobody called.
    down, first, second = _timers_fire_while_the_gateway_is_down(
        api, store, sender, at(TOMORROW, 12)
    )

    assert store.outbox_or_timer_puts() == []
    assert (down, first, second) == (0, 1, 0)
    [apology] = sender.sent
    assert (apology.template, apology.phone) == ("callback_missed", "+306912345678")


def test_a_claim_and_its_expiry_timer_are_one_transaction(watched):
    store, api = watched
    assert api.post("/api/v1/callbacks", {**CALLBACK, "window_start": "asap"}).status == 201
    api.runtime.clock.set(at(TOMORROW, 8, 5))
    store.single.clear()
    store.transactions = 0

    claimed = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni"))

    assert claimed.status == 200, claimed.body
    assert store.transactions == 1 and store.outbox_or_timer_puts() == []


THURSDAY = TOMORROW + timedelta(days=1)
BOOKING = {
    "branch": SYNTAGMA,
    "service": CERTIFICATE,
    "start": at(THURSDAY, 10).isoformat(),
    "mode": "in_person",
    "language": "el",
    "citizen": {"full_name": "Πολίτης 1", "amka": amka(1), "email": "c1@example.gr"},
}


def _messages(api: Api) -> list[str]:
    return [m["template"] for m in api.get("/api/v1/dev/outbox").body["messages"]]


def test_a_reminder_is_written_with_its_booking_and_goes_once_after_the_gateway_recovers(watched):
    store, api = watched
    sender = FlakySender()
    assert api.post("/api/v1/bookings", BOOKING).status == 201
    sender.recover()
    _drain(api, sender)  # the confirmation
    # A day before: the reminder is due.
    down, first, second = _timers_fire_while_the_gateway_is_down(
        api, store, sender, at(TOMORROW, 10, 1)
    )

    assert store.outbox_or_timer_puts() == []
    assert (down, first, second) == (0, 1, 0)
    assert [m.template for m in sender.sent] == ["booking_reminder"]


def test_a_no_show_and_its_notice_are_one_transaction(watched):
    store, api = watched
    assert api.post("/api/v1/bookings", BOOKING).status == 201
    api.runtime.clock.set(at(TOMORROW, 10, 1))
    _fire_due_timers(api)  # the reminder
    store.single.clear()

    api.runtime.clock.set(at(THURSDAY, 11))  # past the grace period, nobody came
    _fire_due_timers(api)

    assert store.outbox_or_timer_puts() == []
    assert _messages(api)[0] == "booking_no_show"


def test_an_escalation_by_deadline_writes_the_next_timer_in_its_transaction(watched):
    store, api = watched
    ref = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    store.single.clear()

    api.runtime.clock.advance(timedelta(hours=8))  # the first line's resolution target
    _fire_due_timers(api)

    case = api.get(f"/api/v1/agent/cases/{ref}", token=api.token("sofia")).body
    assert case["tier"] == 2
    assert store.outbox_or_timer_puts() == []
    assert api.runtime.timers.due(api.runtime.clock.now() + timedelta(days=400))


def test_a_reached_callback_that_answers_its_case_writes_the_answer_in_its_transaction(watched):
    store, api = watched
    case = api.post("/api/v1/cases", CASE_BODY).body
    linked = {**CALLBACK, "case_reference": case["reference"]}
    tracking = {"X-Tracking-Token": case["tracking_token"]}
    assert api.post("/api/v1/callbacks", linked, headers=tracking).status == 201
    api.runtime.clock.set(at(TOMORROW, 8, 5))
    eleni = api.token("eleni")
    claimed = api.post("/api/v1/agent/callbacks/next", token=eleni).body
    store.single.clear()
    store.transactions = 0

    answered = api.post(
        f"/api/v1/agent/callbacks/{claimed['reference']}/outcome",
        {
            "outcome": "reached",
            "version": claimed["version"],
            "case_action": "resolve",
            "answer": "Οι εισφορές πιστώνονται στις 10 του μήνα.",
        },
        token=eleni,
    )

    assert answered.status == 200, answered.body
    assert store.transactions == 1 and store.outbox_or_timer_puts() == []
    assert _messages(api)[0] == "case_answered"


def test_an_unanswered_call_is_moved_to_a_later_window_with_its_timer_in_one_transaction(watched):
    store, api = watched
    assert api.post("/api/v1/callbacks", CALLBACK).status == 201
    api.runtime.clock.set(at(TOMORROW, 8, 5))
    eleni = api.token("eleni")
    claimed = api.post("/api/v1/agent/callbacks/next", token=eleni).body
    store.single.clear()
    store.transactions = 0

    moved = api.post(
        f"/api/v1/agent/callbacks/{claimed['reference']}/outcome",
        {"outcome": "no_answer", "version": claimed["version"]},
        token=eleni,
    )

    assert moved.status == 200, moved.body
    assert moved.body["status"] == "scheduled"
    assert store.transactions == 1 and store.outbox_or_timer_puts() == []


def _full_wednesday(api: Api) -> dict:
    """One place at 10:00 on Wednesday, booked: the day is full. Returns the booking."""
    staff = api.token("katerina")
    branch = f"/api/v1/branch/{SYNTAGMA}"
    hours = {"version": 0, "hours": {"wed": [["10:00", "10:10"]], "thu": [["08:00", "15:00"]]}}
    assert api.request("PUT", f"{branch}/hours", hours, token=staff).status == 200
    desks = {"version": 1, "service": CERTIFICATE, "in_person": 1}
    assert api.request("PUT", f"{branch}/capacity", desks, token=staff).status == 200
    booked = api.post("/api/v1/bookings", {**BOOKING, "start": at(TOMORROW, 10).isoformat()})
    assert booked.status == 201, booked.body
    return booked.body


def test_joining_a_waitlist_and_the_offer_of_a_freed_place_carry_their_texts(watched):
    store, api = watched
    booking = _full_wednesday(api)
    waiting = {
        "branch": SYNTAGMA,
        "service": CERTIFICATE,
        "date": TOMORROW.isoformat(),
        "citizen": {"full_name": "Πολίτης 2", "amka": amka(2), "phone": "+306900000002"},
    }
    store.single.clear()

    joined = api.post("/api/v1/waitlist", waiting)
    cancelled = api.post(
        f"/api/v1/bookings/{booking['code']}/cancel",
        headers={"X-Manage-Token": booking["manage_token"]},
    )

    assert joined.status == 201 and cancelled.status == 200
    api.runtime.run_due()  # the worker offers the freed place, as the timer pump does in AWS
    assert store.outbox_or_timer_puts() == []
    assert _messages(api)[:3] == [
        "booking_waitlist_offer",
        "booking_cancelled",
        "booking_waitlist_joined",
    ]


def test_a_closure_cancels_each_booking_with_its_notice_in_one_transaction(watched):
    store, api = watched
    _full_wednesday(api)
    store.single.clear()
    store.transactions = 0

    closed = api.post(
        f"/api/v1/branch/{SYNTAGMA}/closures",
        {"version": 2, "date": TOMORROW.isoformat(), "reason": "Απεργία"},
        token=api.token("katerina"),
    )

    assert closed.status == 201, closed.body
    assert store.outbox_or_timer_puts() == []
    assert _messages(api)[0] == "booking_cancelled"

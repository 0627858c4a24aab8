"""The local worker delivers the outbox a page at a time: one transaction takes the page's
messages and one marks them sent, instead of two writes per message. Each message is still taken
on its own generation, so it reaches the citizen exactly once, even beside another drain or a
sender that fails (both stores)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from support import CountedTable

from chalicelib.adapters.outbox import PAGE, OutboxNotifier
from chalicelib.adapters.table import Table
from chalicelib.ports import Attachment, Message


def message(n: int) -> Message:
    return Message(
        "case_received", "el", f"Αίτημα {n}", "Λάβαμε το αίτημά σας.", f"c{n}@example.gr"
    )


class Keeping:
    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.sent: list[Message] = []
        self.refuse = set(refuse)

    def send(self, sent: Message) -> None:
        if sent.email in self.refuse:
            raise ConnectionError("gateway unreachable")
        self.sent.append(sent)


def test_a_page_of_messages_costs_one_transaction_to_take_and_one_to_mark_sent(table, clock):
    store = CountedTable(table)
    outbox = OutboxNotifier(store, clock.now, together=PAGE)  # type: ignore[arg-type]
    for n in range(10):
        outbox.send(message(n))
    store.single.clear()
    sender = Keeping()

    assert outbox.deliver(sender) == 10

    assert sorted(m.email for m in sender.sent) == [f"c{n}@example.gr" for n in range(10)]
    assert (store.transactions, store.writes) == (2, 0)
    assert {i["state"] for i in table.query("OUTBOX")} == {"sent"}
    assert outbox.deliver(sender) == 0 and len(sender.sent) == 10


class Racing:
    """The store as one drain sees it: right after its query, another drain delivers some of
    the same messages (those its own view of the store shows)."""

    def __init__(self, table: Table, other: OutboxNotifier, sender: Keeping) -> None:
        self.table, self.other, self.sender = table, other, sender

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)

    def query(self, *args: Any, **kwargs: Any) -> list[dict]:
        items = self.table.query(*args, **kwargs)
        self.other.deliver(self.sender)
        return items


class Some:
    """A store whose due index shows only some messages."""

    def __init__(self, table: Table, emails: set[str]) -> None:
        self.table, self.emails = table, emails

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)

    def query(self, *args: Any, **kwargs: Any) -> list[dict]:
        items = self.table.query(*args, **kwargs)
        return [i for i in items if any(e in i["message"] for e in self.emails)]


def test_a_message_another_drain_took_first_is_left_out_and_every_message_goes_once(table, clock):
    writer = OutboxNotifier(table, clock.now)
    for n in range(6):
        writer.send(message(n))
    theirs, ours = Keeping(), Keeping()
    other = OutboxNotifier(Some(table, {"c1@", "c4@"}), clock.now)  # type: ignore[arg-type]
    outbox = OutboxNotifier(Racing(table, other, theirs), clock.now, together=PAGE)  # type: ignore[arg-type]

    assert outbox.deliver(ours) == 4

    assert sorted(m.email for m in theirs.sent) == ["c1@example.gr", "c4@example.gr"]
    assert sorted(m.email for m in ours.sent) == [f"c{n}@example.gr" for n in (0, 2, 3, 5)]
    clock.advance(timedelta(hours=1))  # past every lease and backoff
    assert OutboxNotifier(table, clock.now, together=PAGE).deliver(ours) == 0


def test_a_failed_send_in_a_page_is_tried_again_alone_and_the_rest_are_sent_once(table, clock):
    outbox = OutboxNotifier(table, clock.now, together=PAGE)
    for n in range(5):
        outbox.send(message(n))
    sender = Keeping(refuse={"c2@example.gr"})

    assert outbox.deliver(sender) == 4
    sender.refuse.clear()
    assert outbox.deliver(sender) == 0  # not before its backoff
    clock.advance(timedelta(minutes=2))
    assert outbox.deliver(sender) == 1

    emails = [m.email for m in sender.sent]
    assert sorted(emails) == [f"c{n}@example.gr" for n in range(5)]
    assert {i["state"] for i in table.query("OUTBOX")} == {"sent"}


def test_the_stored_message_is_the_message_with_its_attachments(table, clock):
    outbox = OutboxNotifier(table, clock.now, together=PAGE)
    sent = Message(
        "booking_confirmed",
        "en",
        "Your appointment",
        "See you.",
        phone="+306912345678",
        attachments=(Attachment("visit.ics", "text/calendar", "BEGIN:VCALENDAR"),),
    )
    outbox.send(sent)
    sender = Keeping()

    outbox.deliver(sender)

    assert sender.sent == [sent]

"""No stored token outlives its use: a sent message keeps neither its body (the citizen's
links and tokens) nor its address, and goes with the table's TTL; a dead letter, kept for an
operator, goes too."""

from __future__ import annotations

from datetime import timedelta

from booking_fixtures import book
from support import TOMORROW, at

from chalicelib.adapters.outbox import DEAD, DEAD_RETENTION, MAX_TRIES, SENT_RETENTION
from chalicelib.ports import Message


class Refusing:
    def send(self, message: Message) -> None:
        raise RuntimeError("SES says no")


class Keeping:
    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> None:
        self.sent.append(message)


def test_a_sent_message_keeps_no_body_address_or_token_and_expires(ctx, table, clock):
    receipt = book(ctx, at(TOMORROW, 10))
    sender = Keeping()

    ctx.notifier.deliver(sender)

    [message] = sender.sent
    assert receipt["code"] in message.body and message.email  # the citizen got it all
    [item] = table.query("OUTBOX")
    assert item["state"] == "sent"
    stored = str(item)
    for secret in (receipt["manage_token"], receipt["calendar_token"], message.email, "BEGIN:"):
        assert secret not in stored
    assert item["expires_at"] == int((clock.now() + SENT_RETENTION).timestamp())


def test_a_dead_letter_keeps_its_body_for_an_operator_only_for_a_while(ctx, table, clock):
    book(ctx, at(TOMORROW, 10))

    for _ in range(MAX_TRIES):
        ctx.notifier.deliver(Refusing())
        clock.advance(timedelta(minutes=40))

    [dead] = table.query(DEAD, index="gsi2")
    assert dead["state"] == "dead"
    assert dead["expires_at"] <= int((clock.now() + DEAD_RETENTION).timestamp())

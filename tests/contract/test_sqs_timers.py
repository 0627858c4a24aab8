"""Deadlines on SQS: due times longer than SQS's 15-minute delay, idempotent consumers,
poison messages to the dead-letter queue. SQS and DynamoDB through moto."""

from datetime import timedelta

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws
from timer_harness import RecordingSqs, make_queue

from chalicelib import bootstrap
from chalicelib.adapters.aws.sqs_timers import LEAD, SqsTimers, decode, delay_for, encode
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.config import Settings
from chalicelib.ports import Timer
from chalicelib.services import cases as service
from chalicelib.services import timers
from devtools.runtime import local_context

REGION = "eu-central-1"


@pytest.fixture
def aws(clock):
    with mock_aws():
        client, queue, dlq = make_queue()
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_table(dynamodb, "citizen-service")
        table = DynamoTable(dynamodb, "citizen-service")
        recording = RecordingSqs(client, clock)
        book = TableTimers(table, lead=LEAD)
        ctx = local_context(
            table,
            clock,
            Settings(store="dynamodb"),
            timers=SqsTimers(recording, queue, book, clock.now, workers=1),
        )
        bootstrap.use(ctx)
        yield ctx, recording, queue, dlq


def receive(sqs, url):
    messages = sqs.client.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    )
    return messages.get("Messages", [])


def sent_delays(sqs):
    return [(m.timer, m.delay) for m in sqs.sent]


def submit(ctx):
    command = service.SubmitCase(
        "efka",
        "contributions",
        "Εισφορές",
        "Ερώτηση",
        "el",
        service.Citizen("Α Β", email="a@example.gr"),
    )
    return service.submit_case(ctx, command)["reference"]


def test_the_delay_is_the_time_left_capped_at_fifteen_minutes(clock):
    soon = Timer("case-deadline", "C-1", clock.now() + timedelta(seconds=90))
    later = Timer("case-deadline", "C-1", clock.now() + timedelta(hours=8))
    past = Timer("case-deadline", "C-1", clock.now() - timedelta(hours=1))

    assert [delay_for(t, clock.now()) for t in (soon, later, past)] == [90, 900, 0]


def test_a_new_case_deadline_waits_in_the_index_and_the_pump_sends_it_once(aws, clock):
    ctx, sqs, _, _ = aws
    ref = submit(ctx)
    due = ctx.cases.get(ref).next_deadline()
    assert sqs.sent == []  # hours away: no message yet

    clock.set(due - timedelta(minutes=16))
    assert timers.pump(ctx) == 0
    clock.set(due - timedelta(minutes=14))
    assert timers.pump(ctx) == 1
    assert timers.pump(ctx) == 0

    [(timer, delay)] = sent_delays(sqs)
    assert (timer.kind, timer.key, timer.due_at, delay) == ("case-deadline", ref, due, 840)


def test_a_timer_delivered_before_its_time_waits_for_the_rest(aws, clock):
    ctx, sqs, _, _ = aws
    ref = submit(ctx)
    due = ctx.cases.get(ref).next_deadline()
    clock.set(due - timedelta(minutes=14))
    timers.pump(ctx)
    [(timer, _)] = sent_delays(sqs)
    clock.set(due - timedelta(seconds=30))

    fired = timers.on_delivery(ctx, timer, clock.now())

    assert fired is False
    assert [d for _, d in sent_delays(sqs)] == [840, 30]
    assert ctx.cases.get(ref).tier == 1 and ctx.timers.waiting(timer)


def test_the_queue_consumer_escalates_a_due_case_once_even_if_delivered_twice(aws, clock):
    ctx, *_ = aws
    ref = submit(ctx)
    due = ctx.cases.get(ref).clocks.resolution_due
    body = encode(Timer("case-deadline", ref, due))
    ctx.timers.schedule(decode(body))
    clock.set(due)
    from app import app

    with Client(app) as client:
        for _ in range(2):
            client.lambda_.invoke(
                "on_timer", client.events.generate_sqs_event([body], "citizen-service-timers")
            )

    case = ctx.cases.get(ref)
    assert case.tier == 2
    assert [e.action for e in case.history].count("escalated") == 1


def test_a_poison_message_fails_and_ends_in_the_dead_letter_queue(aws):
    _, sqs, queue, dlq = aws
    sqs.client.send_message(QueueUrl=queue, MessageBody="not a timer")
    from app import app

    with Client(app) as client:
        for _ in range(3):
            for message in receive(sqs, queue):
                event = client.events.generate_sqs_event(
                    [message["Body"]], "citizen-service-timers"
                )
                with pytest.raises(ValueError):
                    client.lambda_.invoke("on_timer", event)
                # Lambda deletes a message only when the handler succeeds; here it did not.

    assert [m["Body"] for m in receive(sqs, dlq)] == ["not a timer"]
    assert receive(sqs, queue) == []


def test_the_scheduled_sweeper_escalates_an_overdue_case_whose_message_was_lost(aws, clock):
    ctx, sqs, queue, _ = aws
    ref = submit(ctx)
    sqs.client.purge_queue(QueueUrl=queue)
    clock.advance(timedelta(hours=8))
    from app import app

    with Client(app) as client:
        client.lambda_.invoke(
            "sweeper",
            client.events.generate_cw_event(
                source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
            ),
        )

    assert ctx.cases.get(ref).tier == 2

"""Deadlines on SQS: due times longer than SQS's 15-minute delay, idempotent consumers,
poison messages to the dead-letter queue. SQS and DynamoDB through moto."""

import json
from datetime import timedelta

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.adapters.aws.sqs_timers import SqsTimers, decode, delay_for
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.outbox import OutboxNotifier
from chalicelib.config import Settings
from chalicelib.ports import Timer
from chalicelib.services import cases as service
from chalicelib.services import timers

REGION = "eu-central-1"


@pytest.fixture
def aws(clock):
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        dlq = sqs.create_queue(QueueName="timers-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        queue = sqs.create_queue(
            QueueName="citizen-service-timers",
            Attributes={
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}
                ),
                "VisibilityTimeout": "0",
            },
        )["QueueUrl"]
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_table(dynamodb, "citizen-service")
        table = DynamoTable(dynamodb, "citizen-service")
        recording = RecordingSqs(sqs)
        ctx = bootstrap.build(
            Settings(store="dynamodb"),
            clock=clock,
            table=table,
            timers=SqsTimers(recording, queue, clock.now),
            notifier=OutboxNotifier(table, clock.now),
        )
        bootstrap.use(ctx)
        yield ctx, recording, queue, dlq


def receive(sqs, url):
    messages = sqs.client.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    )
    return messages.get("Messages", [])


class RecordingSqs:
    """The real (moto) client, keeping what was sent: moto applies DelaySeconds in real
    time, and the tests never wait for it."""

    def __init__(self, client):
        self.client = client
        self.sent = []

    def send_message(self, **request):
        self.sent.append(request)
        return self.client.send_message(**request)


def sent_delays(sqs, url):
    return [(decode(r["MessageBody"]), r["DelaySeconds"]) for r in sqs.sent if r["QueueUrl"] == url]


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


def test_a_new_case_sends_its_deadline_timer_with_the_maximum_delay(aws):
    ctx, sqs, queue, _ = aws

    ref = submit(ctx)

    [(timer, delay)] = sent_delays(sqs, queue)
    assert (timer.kind, timer.key, delay) == ("case-deadline", ref, 900)
    assert timer.due_at == ctx.cases.get(ref).next_deadline()


def test_a_timer_that_is_not_due_goes_back_to_wait_for_the_rest(aws, clock):
    ctx, sqs, queue, _ = aws
    ref = submit(ctx)
    [(timer, _)] = sent_delays(sqs, queue)
    clock.advance(timedelta(minutes=15))

    fired = timers.on_delivery(ctx, timer, clock.now())

    assert fired is False
    assert [d for _, d in sent_delays(sqs, queue)] == [900, 900]
    assert ctx.cases.get(ref).tier == 1


def test_the_queue_consumer_escalates_a_due_case_once_even_if_delivered_twice(aws, clock):
    ctx, *_ = aws
    ref = submit(ctx)
    due = ctx.cases.get(ref).clocks.resolution_due
    body = json.dumps({"kind": "case-deadline", "key": ref, "due_at": due.isoformat()})
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

"""SQS and Lambda as the timer tests see them: moto's queue, and a record of each message with
the instant (by the injected clock) it becomes visible, since moto delays in real time and the
tests never wait. ``Lambda`` runs the pump and the consumer the way the schedule and the event
source mapping would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import boto3
from chalice.test import Client
from conftest import OneRequestAtATime
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.adapters.aws.sqs_timers import LEAD, SqsTimers, decode
from chalicelib.adapters.dynamodb.table import DynamoTable, create_table
from chalicelib.adapters.local_timers import TableTimers
from chalicelib.config import Settings
from chalicelib.domain.callbacks import CallbackConfig
from chalicelib.ports import Timer
from chalicelib.services.context import Context
from devtools.runtime import local_context

QUEUE = "citizen-service-timers"


@dataclass
class Sent:
    body: str
    delay: int
    visible_at: datetime
    delivered: bool = False

    @property
    def timer(self) -> Timer:
        return decode(self.body)


class RecordingSqs:
    def __init__(self, client, clock) -> None:
        self.client = client
        self.clock = clock
        self.sent: list[Sent] = []

    def send_message_batch(self, **request):
        for entry in request["Entries"]:
            visible = self.clock.now() + timedelta(seconds=entry["DelaySeconds"])
            self.sent.append(Sent(entry["MessageBody"], entry["DelaySeconds"], visible))
        return self.client.send_message_batch(**request)

    def visible(self) -> list[Sent]:
        return [m for m in self.sent if not m.delivered and m.visible_at <= self.clock.now()]

    def drop_visible(self) -> int:
        """Loses every message that is visible now, as a broken consumer would."""
        lost = self.visible()
        for message in lost:
            message.delivered = True
        return len(lost)

    def count(self, timer: Timer) -> int:
        return sum(1 for m in self.sent if m.timer == timer)


def make_queue() -> tuple[object, str, str]:
    sqs = boto3.client("sqs", region_name="eu-central-1")
    dlq = sqs.create_queue(QueueName="timers-dlq")["QueueUrl"]
    attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    redrive = {"deadLetterTargetArn": attrs["Attributes"]["QueueArn"], "maxReceiveCount": "2"}
    queue = sqs.create_queue(
        QueueName=QUEUE,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": "0"},
    )["QueueUrl"]
    return sqs, queue, dlq


class Lambda:
    """The deployed functions, invoked through Chalice's test client."""

    def __init__(self, client: Client, sqs: RecordingSqs) -> None:
        self.client = client
        self.sqs = sqs

    def pump(self) -> None:
        event = self.client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
        )
        self.client.lambda_.invoke("timer_pump", event)

    def deliver(self, message: Sent) -> None:
        message.delivered = True
        event = self.client.events.generate_sqs_event([message.body], QUEUE)
        self.client.lambda_.invoke("on_timer", event)

    def minute(self) -> None:
        """What a minute brings: the messages that became visible during it, the scheduled
        pump at its end, and what the pump sent without delay."""
        for _ in range(2):
            for message in self.sqs.visible():
                self.deliver(message)
            if _ == 0:
                self.pump()

    def walk(self, until: datetime, step: timedelta) -> None:
        while self.sqs.clock.now() < until:
            self.sqs.clock.advance(step)
            self.minute()


@contextmanager
def aws_lambda(
    clock, callback_config: CallbackConfig | None = None
) -> Iterator[tuple[Context, RecordingSqs, Lambda]]:
    """The app as deployed, over moto: DynamoDB (one request at a time, as a Lambda makes
    them), the timer queue recorded against the injected clock, and the functions run as their
    schedule and event source would."""
    with mock_aws():
        client, queue, _ = make_queue()
        dynamodb = OneRequestAtATime(boto3.client("dynamodb", region_name="eu-central-1"))
        create_table(dynamodb, "citizen-service")
        table = DynamoTable(dynamodb, "citizen-service")
        sqs = RecordingSqs(client, clock)
        ctx = local_context(
            table,
            clock,
            Settings(store="dynamodb"),
            timers=SqsTimers(sqs, queue, TableTimers(table, lead=LEAD), clock.now, workers=2),
            callback_config=callback_config,
        )
        bootstrap.use(ctx)
        from app import app

        with Client(app) as chalice:
            yield ctx, sqs, Lambda(chalice, sqs)

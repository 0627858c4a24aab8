"""Timers on SQS. A message carries its due time; SQS delays at most 15 minutes, so the
consumer sends a message that is not yet due back with the remaining delay."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chalicelib.ports import Timer

MAX_DELAY_SECONDS = 900


def encode(timer: Timer) -> str:
    return json.dumps({"kind": timer.kind, "key": timer.key, "due_at": timer.due_at.isoformat()})


def decode(body: str) -> Timer:
    raw = json.loads(body)
    return Timer(str(raw["kind"]), str(raw["key"]), datetime.fromisoformat(raw["due_at"]))


def delay_for(timer: Timer, now: datetime) -> int:
    remaining = (timer.due_at - now).total_seconds()
    return max(0, min(MAX_DELAY_SECONDS, int(remaining + 0.999)))


class SqsTimers:
    def __init__(self, client: Any, queue_url: str, now: Any) -> None:
        self._client = client
        self._queue_url = queue_url
        self._now = now

    def schedule(self, timer: Timer) -> None:
        self._client.send_message(
            QueueUrl=self._queue_url,
            MessageBody=encode(timer),
            DelaySeconds=delay_for(timer, self._now()),
        )

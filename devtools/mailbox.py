"""The local run's mailbox: what the worker delivered, for the dev outbox view and the tests.

In every stage the outbox forgets a message's body once it is sent (its links carry tokens);
locally nobody receives the e-mail, so this sender keeps it in memory instead, by the digest the
sent item keeps. A restart forgets it: the demo's messages are there while it runs.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from chalicelib.adapters.outbox import LoggingSender, digest, fields_of
from chalicelib.ports import Message

KEEP = 5000  # the newest messages; a long demo forgets the oldest


class DevMailbox:
    def __init__(self) -> None:
        self._sent: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._log = LoggingSender()

    def send(self, message: Message) -> None:
        self._log.send(message)
        raw = fields_of(message)
        raw["attachments"] = list(raw["attachments"])
        self._sent[digest(message)] = raw
        while len(self._sent) > KEEP:
            self._sent.popitem(last=False)

    def with_bodies(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The outbox's list, each sent message filled in with what was delivered."""
        return [{**m, **self._sent.get(m.get("digest", ""), {})} for m in messages]


MAILBOX = DevMailbox()

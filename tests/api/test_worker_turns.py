"""The local worker delivers the outbox in turns of the requests' lock, a page per turn: a
busy second's messages never hold every request up at once, and never run beside the request
that holds the app (both stores)."""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.ports import Message
from devtools import worker


class Turns:
    """The requests' lock, noting how many messages were sent by the end of each turn."""

    def __init__(self, api: Any) -> None:
        self._lock = threading.Lock()
        self._api = api
        self.sent_after_each: list[int] = []

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        outbox = self._api.runtime.outbox.messages(limit=200)
        self.sent_after_each.append(sum(m["state"] == "sent" for m in outbox))
        self._lock.release()


def test_the_worker_delivers_a_page_per_turn_of_the_requests_lock(api):
    for n in range(45):
        api.runtime.outbox.send(Message("case_received", "el", f"Αίτημα {n}", "…", f"c{n}@x.gr"))
    turns = Turns(api)

    sent = worker.deliver(api.runtime.ctx, turns)  # type: ignore[arg-type]

    assert sent == 45
    # Pages of DELIVERY_PAGE (20), each delivered whole inside one turn of the lock.
    page = worker.DELIVERY_PAGE
    assert turns.sent_after_each == [*range(page, 45, page), 45]

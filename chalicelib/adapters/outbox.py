"""Messages to citizens kept in the table: the notifier of the local run and of tests."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from chalicelib.ports import Message

from .case_items import sortable
from .table import Put, Table


class OutboxNotifier:
    def __init__(self, table: Table, now: Callable[[], datetime]) -> None:
        self._table = table
        self._now = now

    def send(self, message: Message) -> None:
        at = self._now()
        self._table.write(
            Put(
                {
                    "pk": "OUTBOX",
                    # Real nanoseconds break ties when a test's clock stands still.
                    "sk": f"{sortable(at)}#{time.time_ns():020d}#{uuid.uuid4().hex[:8]}",
                    "at": at.isoformat(),
                    "message": json.dumps(asdict(message), ensure_ascii=False),
                }
            )
        )

    def messages(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first."""
        items = self._table.query("OUTBOX", limit=limit, newest_first=True)
        return [{"at": i["at"], **json.loads(i["message"])} for i in items]

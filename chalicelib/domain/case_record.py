"""What a case holds, what can be read from it, and how its history is written.

The rules that change a case live in ``case_aggregate.Case``, built on this record; every
change goes through ``_move`` (a new status or owner) or ``_record`` (a fact), each appending
one history event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from chalicelib.domain.case_clocks import Clocks
from chalicelib.domain.case_values import OPEN, Channel, Citizen, Event, Owner, Status
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.local_time import last_day_before


@dataclass
class CaseRecord:
    reference: str
    token_hash: str
    agency: str
    topic: str
    subject: str
    description: str
    language: str
    channel: Channel
    citizen: Citizen
    created_at: datetime
    status: Status
    tier: int
    owner: Owner
    clocks: Clocks
    history: list[Event] = field(default_factory=list)
    version: int = 0
    answer: str | None = None
    question: str | None = None
    resolved_at: datetime | None = None
    breached_at: datetime | None = None
    last_chased_at: datetime | None = None
    transferred_from: str | None = None
    # The date the agency commits to (Europe/Athens), set when the case opens and never moved.
    promised_by: date | None = None

    # --- queries --------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    def next_deadline(self) -> datetime | None:
        """The next instant at which the deadline handler has something to do."""
        if not self.is_open or self.clocks.paused_at is not None or self.is_breached:
            return None
        return self.clocks.next_due()

    @property
    def promise(self) -> date:
        """The promised date; a case stored before it was kept promises its statutory date."""
        return self.promised_by or last_day_before(self.clocks.statutory_due)

    def is_chased(self) -> bool:
        return self.last_chased_at is not None and self.is_open

    # --- history --------------------------------------------------------------

    def log(
        self, now: datetime, actor: str, action: str, *, note: str = "", public: bool = False
    ) -> None:
        """Records something done around the case elsewhere (e.g. a callback) in its history."""
        self._record(now, actor, action, note=note, public=public)

    def time_by_owner(self, now: datetime) -> dict[str, timedelta]:
        return _spans(self.history, now, lambda e: str(e.owner))

    def time_by_tier(self, now: datetime) -> dict[str, timedelta]:
        return _spans(self.history, now, lambda e: str(e.tier))

    # --- internals ------------------------------------------------------------

    def _require_member(self, agent: Agent) -> None:
        """An agent of the owning team, or a supervisor of the case's agency."""
        if self.owner.team not in agent.teams and not agent.supervises(self.agency):
            raise Forbidden("not-owner")

    def _require_holder(self, agent: Agent) -> None:
        """A member, and the case is unclaimed or theirs: a colleague's claimed case is taken
        over by a supervisor (docs/security.md, "Authorisation")."""
        self._require_member(agent)
        if self.owner.agent not in (None, agent.id) and not agent.supervises(self.agency):
            raise Forbidden("not-holder")

    def _move(
        self,
        now: datetime,
        actor: str,
        action: str,
        status: Status,
        owner: Owner,
        *,
        note: str = "",
        public: bool = False,
    ) -> None:
        before_status, before_owner = self.status, self.owner
        self.status, self.owner = status, owner
        self.history.append(
            Event(
                now,
                actor,
                action,
                self.tier,
                owner,
                before_status,
                status,
                before_owner,
                note,
                public,
            )
        )

    def _record(
        self, now: datetime, actor: str, action: str, *, note: str = "", public: bool = False
    ) -> None:
        self.history.append(
            Event(now, actor, action, self.tier, self.owner, note=note, public=public)
        )


def _spans(
    history: list[Event], now: datetime, key: Callable[[Event], str]
) -> dict[str, timedelta]:
    """Wall-clock time spent under each key, from one ownership change to the next."""
    spans: dict[str, timedelta] = {}
    changes = [e for e in history if e.to_status is not None or e.action == "opened"]
    for event, following in zip(changes, [*changes[1:], None], strict=True):
        if following is None and event.to_status not in OPEN:
            break  # time stops once the case is answered
        end = following.at if following else now
        spans[key(event)] = spans.get(key(event), timedelta()) + (end - event.at)
    return spans

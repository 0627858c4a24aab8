"""A citizen's case and the rules of its life: ownership, tiers, deadlines, history.

Every change goes through a method here, which checks the rule, changes the case
and appends one history event. At every moment the case is owned by one team,
or by one agent within that team. What the case holds and how history is written
are in ``case_record``; its deadlines in ``case_clocks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.case_clocks import Clocks
from chalicelib.domain.case_rules import CaseRules
from chalicelib.domain.case_values import (
    CITIZEN,
    SYSTEM,
    CaseRequest,
    Owner,
    RouteFn,
    Status,
)
from chalicelib.domain.directory import TOP_TIER, Agent, CasePolicy, Route, Team
from chalicelib.domain.errors import InvalidTransition, NotYetDue, TooSoon
from chalicelib.domain.local_time import athens_day, last_day_before


@dataclass
class Case(CaseRules):
    """A case with the rules that change it: each method checks (see ``case_rules``), changes
    and records."""

    # --- creation -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        reference: str,
        token_hash: str,
        request: CaseRequest,
        now: datetime,
        route: Route,
        working_days: BusinessCalendar,
        policy: CasePolicy,
        logged_by: Agent | None = None,
    ) -> Case:
        case = cls(
            reference=reference,
            token_hash=token_hash,
            **request.as_fields(),  # type: ignore[arg-type]
            created_at=now,
            status=Status.NEW,
            tier=route.tier,
            owner=Owner(route.team),
            clocks=Clocks.starting(
                route, now, working_days.add_working_days(now, policy.statutory_working_days)
            ),
        )
        # The published promise is the statutory deadline, as a date (docs/architecture.md).
        case.promised_by = last_day_before(case.clocks.statutory_due)
        actor = logged_by.id if logged_by else CITIZEN
        case._record(now, actor, "opened", note=request.channel.value, public=True)
        if logged_by is not None:
            # A phone call is charged to the agent who took it.
            case._move(
                now, logged_by.id, "assigned", Status.ASSIGNED, Owner(route.team, logged_by.id)
            )
        return case

    # --- agent actions --------------------------------------------------------

    def claim(self, agent: Agent, now: datetime) -> None:
        self.check_claim(agent)
        self._move(now, agent.id, "claimed", Status.ASSIGNED, Owner(self.owner.team, agent.id))

    def assign(self, agent_id: str, now: datetime) -> None:
        """Hands a new case to an agent of the owning team (round-robin routing)."""
        self._move(now, SYSTEM, "assigned", Status.ASSIGNED, Owner(self.owner.team, agent_id))

    def add_note(self, agent: Agent, text: str, now: datetime) -> None:
        self.check_note(agent)
        self._record(now, agent.id, "note", note=text)

    def request_info(self, agent: Agent, question: str, now: datetime) -> None:
        self.check_request_info(agent)
        self.question = question
        self.clocks.first_response_due = None
        self.clocks.paused_at = now
        self._move(
            now,
            agent.id,
            "information_requested",
            Status.AWAITING_CITIZEN,
            self.owner,
            note=question,
            public=True,
        )

    def citizen_replied(
        self,
        text: str,
        now: datetime,
        team_calendar: BusinessCalendar,
        working_days: BusinessCalendar,
    ) -> None:
        if self.status != Status.AWAITING_CITIZEN:
            raise InvalidTransition("reply", status=self.status)
        self.clocks.resume(now, team_calendar, working_days)
        self.question = None
        back_to = Status.ASSIGNED if self.owner.agent else Status.NEW
        self._move(now, CITIZEN, "citizen_replied", back_to, self.owner, note=text, public=True)

    def escalate(self, actor: str, reason: str, now: datetime, route: RouteFn) -> None:
        self.check_escalation()
        next_route = route(self.agency, self.topic, self.tier + 1)
        self.tier = next_route.tier
        self.clocks = Clocks.starting(next_route, now, self.clocks.statutory_due)
        self._move(
            now,
            actor,
            "escalated",
            Status.ESCALATED,
            Owner(next_route.team),
            note=reason,
            public=True,
        )

    def escalate_by_agent(self, agent: Agent, reason: str, now: datetime, route: RouteFn) -> None:
        self.check_escalate(agent)
        self.escalate(agent.id, reason, now, route)

    def take_over(self, agent: Agent, reason: str, now: datetime) -> None:
        """A member of the owning team takes a colleague's claimed case, with the reason in the
        history (the one use: the agent who reached the citizen on a callback answers it)."""
        self._require_member(agent)
        if self.owner.agent in (None, agent.id) or not self.is_open:
            return
        owner = Owner(self.owner.team, agent.id)
        self._move(now, agent.id, "taken_over", self.status, owner, note=reason)

    def resolve(self, agent: Agent, answer: str, now: datetime) -> None:
        self.check_resolve(agent)
        self.answer = answer
        self.resolved_at = now
        self.clocks.first_response_due = None
        self._move(
            now,
            agent.id,
            "resolved",
            Status.RESOLVED,
            Owner(self.owner.team, agent.id),
            note=answer,
            public=True,
        )

    def reassign(self, actor: Agent, now: datetime, *, team: Team, agent: str | None) -> None:
        """Moves the case within its tier and agency: to another agent, or back to a team's
        queue."""
        self.check_reassign(actor, team)
        status = self.status
        if status != Status.AWAITING_CITIZEN:
            status = Status.ASSIGNED if agent else Status.NEW
        self._move(now, actor.id, "reassigned", status, Owner(team.id, agent))

    def transfer(
        self,
        agent: Agent,
        agency: str,
        topic: str,
        reason: str,
        now: datetime,
        route: RouteFn,
        notice_due: datetime | None = None,
    ) -> None:
        """Sends a case to the competent agency: routing restarts, the statutory clock does not.

        The law wants the citizen told within a few working days of receipt (``notice_due``);
        a later transfer still happens, and the history says it was late.
        """
        self.check_transfer(agent)
        if agency == self.agency:
            raise InvalidTransition("transfer", status=self.status)
        if notice_due is not None and now > notice_due:
            self._record(now, SYSTEM, "transfer_notice_late", note=notice_due.isoformat())
        self.transferred_from, self.agency, self.topic = self.agency, agency, topic
        first = route(agency, topic, 1)
        self.tier = first.tier
        self.clocks = Clocks.starting(first, now, self.clocks.statutory_due)
        self._move(
            now, agent.id, "transferred", Status.NEW, Owner(first.team), note=reason, public=True
        )

    def close(self, actor: Agent, now: datetime) -> None:
        self.check_close(actor)
        self._move(now, actor.id, "closed", Status.CLOSED, self.owner, public=True)

    def reopen(
        self,
        actor: str,
        reason: str,
        now: datetime,
        policy: CasePolicy,
        route: RouteFn,
        agent: Agent | None = None,
    ) -> None:
        """Back to its team: asked by the citizen (``actor`` CITIZEN) or by ``agent``."""
        self.check_reopen(now, policy, agent)
        again = route(self.agency, self.topic, self.tier)
        self.clocks = Clocks.starting(again, now, self.clocks.statutory_due)
        self.answer = None
        self.resolved_at = None
        self._move(
            now,
            actor,
            "reopened",
            Status.REOPENED,
            Owner(self.owner.team),
            note=reason,
            public=True,
        )

    # --- citizen actions ------------------------------------------------------

    def chase(self, now: datetime, policy: CasePolicy) -> None:
        """The citizen asks why the promised date has passed; at most once per interval."""
        if not self.is_open:
            raise InvalidTransition("chase", status=self.status)
        if athens_day(now) <= self.promise:
            raise NotYetDue("chase", promised_by=self.promise)
        if self.last_chased_at and now - self.last_chased_at < policy.chase_interval:
            raise TooSoon("chase", retry_in=self.last_chased_at + policy.chase_interval - now)
        self.last_chased_at = now
        self._record(now, CITIZEN, "chased", public=True)

    # --- deadlines ------------------------------------------------------------

    def on_deadlines(self, now: datetime, route: RouteFn) -> list[str]:
        """Acts on every deadline that has passed; returns what happened (empty if nothing).

        Safe to call any number of times: each step changes the state it depends on,
        so a duplicated or late timer does nothing more.
        """
        happened: list[str] = []
        if self.next_deadline() is None:
            return happened
        c = self.clocks
        if c.first_response_due is not None and now >= c.first_response_due:
            c.first_response_due = None
            self._record(now, SYSTEM, "first_response_missed")
            happened.append("first_response_missed")
        if c.resolution_due <= now:
            if self.tier < TOP_TIER:
                self.escalate(SYSTEM, "deadline", now, route)
                happened.append("escalated")
            else:
                self.breached_at = now
                c.warned = True
                self._record(now, SYSTEM, "breached")
                happened.append("breached")
        elif c.warn_at is not None and not c.warned and now >= c.warn_at:
            c.warned = True
            self._record(now, SYSTEM, "breach_warning")
            happened.append("breach_warning")
        return happened

"""Who may do what to a case now: one check per agent action, and the list of those allowed.

Each action of ``case_aggregate.Case`` runs its check before it changes anything, and the
console is offered ``allowed_actions`` computed from the same checks, so what the page shows
and what the API accepts cannot drift apart. Checks raise the domain error the action would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.domain.case_record import CaseRecord
from chalicelib.domain.case_values import UNCLAIMED, Status
from chalicelib.domain.directory import TOP_TIER, Agent, CasePolicy, Team
from chalicelib.domain.errors import DomainError, Forbidden, InvalidTransition


class CaseRules(CaseRecord):
    def check_claim(self, agent: Agent) -> None:
        self._require_member(agent)
        if self.status not in UNCLAIMED and not (
            self.status == Status.ASSIGNED and self.owner.agent is None
        ):
            raise InvalidTransition("claim", status=self.status)

    def check_note(self, agent: Agent) -> None:
        self._require_member(agent)
        if self.status == Status.CLOSED:
            raise InvalidTransition("note", status=self.status)

    def check_request_info(self, agent: Agent) -> None:
        self._require_holder(agent)
        if self.status != Status.ASSIGNED:
            raise InvalidTransition("request-info", status=self.status)

    def check_escalation(self) -> None:
        """Whoever escalates (an agent, or the deadline): open, not waiting, not at the top."""
        if not self.is_open or self.status == Status.AWAITING_CITIZEN:
            raise InvalidTransition("escalate", status=self.status)
        if self.tier >= TOP_TIER:
            raise InvalidTransition("escalate", status=self.status, tier=self.tier)

    def check_escalate(self, agent: Agent) -> None:
        self._require_holder(agent)
        self.check_escalation()

    def check_resolve(self, agent: Agent) -> None:
        self._require_holder(agent)
        if not self.is_open or self.status == Status.AWAITING_CITIZEN:
            raise InvalidTransition("resolve", status=self.status)

    def check_reassign(self, agent: Agent, to: Team | None = None) -> None:
        """Within the case's tier and agency only: another agency's team would read the
        citizen's data without any claim to it."""
        self._require_holder(agent)
        if not self.is_open:
            raise InvalidTransition("reassign", status=self.status)
        if to is not None and not (self.agency in to.agencies or "*" in to.agencies):
            raise Forbidden("reassign-agency")

    def check_close(self, agent: Agent) -> None:
        self._require_member(agent)
        if self.status != Status.RESOLVED:
            raise InvalidTransition("close", status=self.status)

    def check_reopen(self, now: datetime, policy: CasePolicy, agent: Agent | None = None) -> None:
        """By the citizen, or by an agent of the team that owns the case now."""
        if agent is not None:
            self._require_member(agent)
        if self.status != Status.RESOLVED or self.resolved_at is None:
            raise InvalidTransition("reopen", status=self.status)
        if now - self.resolved_at > policy.reopen_window:
            raise InvalidTransition("reopen", status=self.status, window=str(policy.reopen_window))

    def check_transfer(self, agent: Agent) -> None:
        self._require_holder(agent)
        if not self.is_open:
            raise InvalidTransition("transfer", status=self.status)

    def allowed_actions(self, agent: Agent, now: datetime, policy: CasePolicy) -> list[str]:
        """The agent actions (by their names in the API) this agent may take on the case now."""
        checks: dict[str, Callable[[], None]] = {
            "claim": lambda: self.check_claim(agent),
            "note": lambda: self.check_note(agent),
            "escalate": lambda: self.check_escalate(agent),
            "request-info": lambda: self.check_request_info(agent),
            "resolve": lambda: self.check_resolve(agent),
            "reassign": lambda: self.check_reassign(agent),
            "close": lambda: self.check_close(agent),
            "reopen": lambda: self.check_reopen(now, policy, agent),
            "transfer": lambda: self.check_transfer(agent),
        }
        return [action for action, check in checks.items() if _passes(check)]


def _passes(check: Callable[[], None]) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True

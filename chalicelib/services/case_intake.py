"""What a citizen does with a case: submit it, track it, reply, chase it, reopen it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.domain.cases import CITIZEN, Case, CaseRequest
from chalicelib.domain.directory import Agent
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.local_time import iso, shown_day
from chalicelib.domain.references import new_reference, new_token
from chalicelib.messages import render
from chalicelib.observability import count, logger
from chalicelib.ports import IdempotencyRecord
from chalicelib.services.case_deadlines import schedule_deadline
from chalicelib.services.case_steps import hand_out, notify, required
from chalicelib.services.context import Context
from chalicelib.services.retries import Idempotency, hash_token, tracked, write_once

IDEMPOTENCY_SCOPE = "case"


# What the route hands over is the citizen's request itself.
SubmitCase = CaseRequest


def submit_case(
    ctx: Context,
    command: SubmitCase,
    *,
    idempotency: Idempotency | None = None,
    logged_by: Agent | None = None,
) -> dict[str, Any]:
    """Opens a case at tier 1 and returns the citizen's receipt (with the tracking token)."""
    if logged_by is not None and not logged_by.serves(command.agency):
        # Before any replay: an agent logs calls about the agencies their teams serve.
        raise Forbidden("agency")
    agency = ctx.directory.agency(command.agency)
    if agency.topic(command.topic) is None:
        raise InvalidInput("topic", "unknown-topic")

    def write(keep: Callable[[dict[str, Any]], IdempotencyRecord | None]) -> dict[str, Any]:
        now = ctx.clock.now()
        token = new_token()
        case = _open(ctx, command, token, now, logged_by)
        receipt = receipt_of(case, token)
        with ctx.effects.collect():  # the case, its timer and its message: one transaction
            schedule_deadline(ctx, case, None)
            notify(ctx, case, "case_received", token)
            ctx.cases.add(case, keep(receipt))
        count("CasesOpened")
        return receipt

    return write_once(ctx, IDEMPOTENCY_SCOPE, idempotency, write)


def _open(
    ctx: Context, command: SubmitCase, token: str, now: datetime, logged_by: Agent | None
) -> Case:
    case = Case.open(
        reference=new_reference("C"),
        token_hash=hash_token(token),
        request=command,
        now=now,
        route=ctx.route(command.agency, command.topic, 1),
        working_days=ctx.working_days,
        policy=ctx.directory.policy,
        logged_by=logged_by,
    )
    if logged_by is None:
        hand_out(ctx, case, now)
    return case


def receipt_of(case: Case, token: str) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "tracking_token": token,
        "status": case.status.value,
        "tier": case.tier,
        "owner": {"team": case.owner.team},
        "created_at": iso(case.created_at),
        "due_at": iso(case.clocks.resolution_due),
        "statutory_due_at": iso(case.clocks.statutory_due),
        "promised_by": case.promise.isoformat(),
    }


def track_case(ctx: Context, reference: str, token: str | None) -> Case:
    """The citizen's own case; a wrong token looks exactly like an unknown reference."""
    return tracked(ctx.cases.get, reference, token, "case")


def citizen_reply(ctx: Context, reference: str, token: str | None, text: str) -> Case:
    case = track_case(ctx, reference, token)
    before = case.next_deadline()
    team_calendar = ctx.directory.teams[case.owner.team].calendar
    case.citizen_replied(text, ctx.clock.now(), team_calendar, ctx.working_days)
    with ctx.effects.collect():
        schedule_deadline(ctx, case, before)
        ctx.cases.save(case)
    return case


def chase(ctx: Context, reference: str, token: str | None) -> Case:
    case = track_case(ctx, reference, token)
    case.chase(ctx.clock.now(), ctx.directory.policy)
    # Supervisors of the owning team hear of it (their console lists chased cases too), in the
    # transaction of the chase.
    with ctx.effects.collect():
        _tell_supervisors(ctx, case)
        ctx.cases.save(case)
    return case


def _tell_supervisors(ctx: Context, case: Case) -> None:
    address = ctx.supervisors_of(case.owner.team)
    if address is None:  # no address configured: the supervisors' console lists the chase
        logger.warning("no supervisors' address", extra={"team": case.owner.team})
        return
    ctx.notifier.send(
        render(
            "case_chased",
            "el",
            reference=case.reference,
            subject=case.subject,
            promised_by=shown_day(case.promise),
            team=case.owner.team,
            agent=case.owner.agent or "-",
            email=address,
        )
    )


def citizen_reopen(ctx: Context, reference: str, token: str | None, reason: str) -> Case:
    """The citizen is not satisfied with the answer: the case goes back to its team."""
    case = track_case(ctx, reference, token)
    case.reopen(CITIZEN, required(reason, "text"), ctx.clock.now(), ctx.directory.policy, ctx.route)
    with ctx.effects.collect():
        schedule_deadline(ctx, case, None)
        ctx.cases.save(case)
    return case

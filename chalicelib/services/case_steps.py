"""Steps the case use cases share: handing new work out, telling the citizen, plain checks."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.cases import Case, Status
from chalicelib.domain.directory import Assignment
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.local_time import shown, shown_day
from chalicelib.services.citizen_messages import public_link, tell
from chalicelib.services.context import Context


def hand_out(ctx: Context, case: Case, now: datetime) -> None:
    """Round-robin teams give new work straight to their next agent on duty; with nobody on
    duty the case waits in the team's queue."""
    if case.status not in (Status.NEW, Status.ESCALATED):
        return
    team = ctx.directory.teams[case.owner.team]
    if team.assignment != Assignment.ROUND_ROBIN:
        return
    # One write: the turn moves on and the team's members come back with it (the roster in the
    # store, which admins manage); an agent off shift, unavailable or deactivated is skipped.
    turn, roster = ctx.roster.take_turn(team.id)
    chosen = roster.in_turn(turn, now)
    if chosen is not None:
        case.assign(chosen.id, now)


def required(text: str, field: str) -> str:
    if not text.strip():
        raise InvalidInput(field, "required")
    return text.strip()


def notify(
    ctx: Context, case: Case, template: str, token: str | None = None, survey_url: str = ""
) -> None:
    """Tells the citizen, if they left an address; the links point at ``ctx.public_url``."""
    # The token is only known when the case is created; later messages link to the form.
    tell(
        ctx,
        case.citizen,
        template,
        case.language,
        reference=case.reference,
        subject=case.subject,
        due=shown(case.clocks.resolution_due),
        statutory_due=shown(case.clocks.statutory_due),
        promised_by=shown_day(case.promise),
        question=case.question or "",
        answer=case.answer or "",
        agency=ctx.directory.agency(case.agency).name.in_(case.language),
        track_url=public_link(ctx, case.language, "track", f"ref={case.reference}", token),
        survey_url=survey_url,
    )

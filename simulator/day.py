"""The day itself: events in time order, each one a call into the real services at its time.

The clock is frozen and set to each event's time before the services run, so deadlines,
windows and no-shows are judged as they would be that day. Every five simulated minutes the
due timers fire and the sweeper runs (what ``devtools.worker.run_due`` does, without sending
the outbox: the messages stay in the store), the written queues are worked and a sample taken.
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.bookings import BookingCitizen, Mode
from chalicelib.domain.bookings import Status as BookingStatus
from chalicelib.domain.callbacks import Outcome
from chalicelib.domain.callbacks import Status as CallbackStatus
from chalicelib.domain.cases import Case, Channel, Citizen
from chalicelib.domain.errors import DomainError
from chalicelib.domain.identifiers import amka_check_digit
from chalicelib.observability import metrics
from chalicelib.services import (
    booking_book,
    booking_change,
    booking_desk,
    callbacks,
    cases,
    surveys,
    timers,
)
from simulator.figures import Observed, Sample
from simulator.plan import Contact, Plan, arrivals, handle_minutes
from simulator.world import Worker, World, citizen_phone

TICK = timedelta(minutes=5)
SURVEY_LINK = re.compile(r"/survey/#id=(\w+)&token=(\S+)")
TOPIC_TEXT = ("Ερώτηση πολίτη", "Περιγραφή της ερώτησης από τη γραμμή 1555")


def amka(serial: int) -> str:
    first10 = f"0101{80 + serial % 20:02d}{serial % 10_000:04d}"
    return first10 + amka_check_digit(first10)


@dataclass
class Work:
    """A written case waiting for someone: its reference and the tier whose answer it needs."""

    reference: str
    needs: int
    since: datetime


@dataclass
class Day:
    plan: Plan
    world: World
    rng: random.Random
    seen: Observed
    progress: Callable[[int], None] = lambda done: None
    _events: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    _seq: itertools.count = field(default_factory=itertools.count)
    _web: deque[Work] = field(default_factory=deque)
    _teams: dict[str, deque[Work]] = field(default_factory=dict)
    _open: dict[str, int] = field(default_factory=dict)  # reference -> tier it waits at
    _needs: dict[str, int] = field(default_factory=dict)
    _callbacks: list[str] = field(default_factory=list)
    _visits: list[str] = field(default_factory=list)
    _capacity: dict[str, float] = field(default_factory=dict)
    _late: set[str] = field(default_factory=set)  # escalated by their deadline

    # --- the loop ------------------------------------------------------------------

    def at(self, when: datetime, kind: str, payload: Any = None) -> None:
        heapq.heappush(self._events, (when, next(self._seq), kind, payload))

    def run(self) -> Observed:
        ctx = self.world.ctx
        self._book_todays_visits()
        for contact in arrivals(self.plan, self.rng):
            self.at(contact.at, "contact", contact)
        end = self.plan.start() + timedelta(days=1)
        tick = self.plan.start()
        while tick <= end:
            self.at(tick, "tick")
            tick += TICK
        done = 0
        while self._events:
            when, _, kind, payload = heapq.heappop(self._events)
            self.world.clock.set(max(when, ctx.clock.now()))
            getattr(self, f"_on_{kind}")(payload)
            # Lambda flushes the services' EMF metrics after each request; here they would
            # print a line per hundred, so they are dropped (the simulation counts for itself).
            metrics.clear_metrics()
            if kind == "contact":
                done += 1
                self.progress(done)
        self._close_the_day()
        return self.seen

    def _on_tick(self, _: Any) -> None:
        self._fire_timers()
        now = self.world.clock.now()
        self._work_written(now)
        self._call_back(now)
        if now.minute % 15 == 0:
            sla = self.seen.resolved_in_target / self.seen.resolved if self.seen.resolved else 1.0
            hour = (now - self.plan.start()).total_seconds() / 3600
            self.seen.samples.append(Sample(hour, len(self._open), sla))

    def _fire_timers(self) -> None:
        ctx = self.world.ctx
        while due := self.world.timers.due(ctx.clock.now()):
            for timer in due:
                try:
                    timers.fire(ctx, timer)
                except DomainError:
                    self.seen.timer_failures += 1
                self.world.timers.done(timer)
                self.seen.timers_fired += 1
                metrics.clear_metrics()
        timers.sweep(ctx)

    def _hour(self, when: datetime) -> int:
        return min(23, int((when - self.plan.start()).total_seconds() // 3600))

    # --- contacts ----------------------------------------------------------------------

    def _on_contact(self, contact: Contact) -> None:
        self.seen.arrivals[contact.channel][self._hour(contact.at)] += 1
        getattr(self, f"_by_{contact.channel}")(contact)

    def _by_phone(self, contact: Contact) -> None:
        """The caller waits for the first free agent on shift, or hangs up."""
        hour = self._hour(contact.at)
        on = [w for w in self.world.phone if w.end > contact.at]
        if not on:
            self.seen.calls_abandoned[hour] += 1
            return
        worker = min(on, key=lambda w: max(w.free_at, w.start, contact.at))
        start = max(worker.free_at, worker.start, contact.at)
        wait = (start - contact.at).total_seconds()
        if wait > self.rng.expovariate(1 / self.plan.patience_seconds) or start >= worker.end:
            self.seen.calls_abandoned[hour] += 1
            return
        handle = handle_minutes(self.rng, self.plan.phone_minutes) * 60
        worker.free_at = start + timedelta(seconds=handle)
        seen = self.seen
        seen.calls_answered[hour] += 1
        seen.calls_in_target[hour] += wait <= self.plan.target_seconds
        seen.wait_seconds[hour] += wait
        seen.handle_seconds[hour] += handle
        self.at(worker.free_at, "call_ended", (worker, contact))

    def _on_call_ended(self, payload: tuple[Worker, Contact]) -> None:
        """The agent logs the call as a case and answers it, or passes it to the agency."""
        worker, contact = payload
        reference = self._open_case(contact, Channel.PHONE, worker)
        if contact.tier == 1:
            self._resolve(worker, reference, 1, 1)
            self.seen.resolved_first_contact += 1
        else:
            self._escalate(worker, reference, 1)

    def _by_web(self, contact: Contact) -> None:
        reference = self._open_case(contact, Channel.WEB, None)
        self._web.append(Work(reference, contact.tier, contact.at))

    def _open_case(self, contact: Contact, channel: Channel, worker: Worker | None) -> str:
        topics = self.world.ctx.directory.agencies[contact.agency].topics
        topic = topics[contact.serial % len(topics)].id
        citizen = Citizen(f"Πολίτης {contact.serial}", phone=citizen_phone(contact.serial))
        command = cases.SubmitCase(contact.agency, topic, *TOPIC_TEXT, "el", citizen, channel)
        agent = worker.agent if worker else None
        receipt = cases.submit_case(self.world.ctx, command, logged_by=agent)
        self.seen.opened[channel.value] += 1
        self._open[receipt["reference"]] = 1
        self._needs[receipt["reference"]] = contact.tier
        return receipt["reference"]

    # --- answering and escalating ------------------------------------------------------

    def _act(
        self, worker: Worker, reference: str, action: str, version: int, text: str = ""
    ) -> Case:
        # The version the agent read: a phone case is new (1), a written one was just read.
        return cases.act(self.world.ctx, worker.agent, reference, action, version, text=text)

    def _resolve(self, worker: Worker, reference: str, tier: int, version: int) -> None:
        case = self._act(worker, reference, "resolve", version, "Η απάντηση του φορέα")
        due = case.clocks.resolution_due
        # A case its deadline escalated has missed its first promise, whatever happens next.
        late = reference in self._late or (due is not None and (case.resolved_at or due) > due)
        self.seen.resolved_in_target += not late
        self.seen.resolved_by_tier[tier] += 1
        self._offered_survey()
        del self._open[reference]

    def _escalate(self, worker: Worker, reference: str, version: int) -> None:
        case = self._act(worker, reference, "escalate", version, "Χρειάζεται τον φορέα")
        self.seen.escalated["manual"] += 1
        self._open[reference] = case.tier
        self._teams.setdefault(case.owner.team, deque()).append(
            Work(reference, self._needs[reference], self.world.clock.now())
        )

    def _work_written(self, now: datetime) -> None:
        """Web cases at the first line, escalated ones at the agencies' teams, in turn."""
        self._work_queue("web", self.world.web, self._web, self.plan.web_minutes, now, 1)
        for team, workers in self.world.support.items():
            queue = self._teams.get(team)
            if queue:
                tier = self.world.ctx.directory.teams[team].tier
                minutes = self.plan.tier2_minutes if tier == 2 else self.plan.tier3_minutes
                self._work_queue(team, workers, queue, minutes, now, tier)

    def _work_queue(
        self,
        name: str,
        workers: list[Worker],
        queue: deque[Work],
        minutes: float,
        now: datetime,
        tier: int,
    ) -> None:
        on = [w for w in workers if w.on_shift(now)]
        budget = self._capacity.get(name, 0.0) + len(on) * TICK.total_seconds() / 60
        turn = 0
        while queue and on and budget > 0:
            work = queue.popleft()
            budget -= handle_minutes(self.rng, minutes)
            self._take(on[turn % len(on)], work, tier)
            turn += 1
        self._capacity[name] = min(budget, 0.0) if queue else 0.0

    def _take(self, worker: Worker, work: Work, tier: int) -> None:
        case = self.world.ctx.cases.get(work.reference)
        if case.tier != tier:
            # Its deadline passed while it waited: the timer escalated it to the next team.
            self.seen.escalated["deadline"] += 1
            self._late.add(work.reference)
            self._open[work.reference] = case.tier
            self._teams.setdefault(case.owner.team, deque()).append(work)
            return
        holder, version = case.owner.agent, case.version
        if holder is not None and holder in self.world.ctx.directory.agents:
            worker = next(w for w in self._team_workers(case.owner.team) if w.agent.id == holder)
        else:
            version = self._act(worker, work.reference, "claim", version).version
        if max(work.needs, tier) == tier:
            self._resolve(worker, work.reference, tier, version)
        else:
            self._escalate(worker, work.reference, version)

    def _team_workers(self, team: str) -> list[Worker]:
        return self.world.support.get(team, []) + self.world.web + self.world.phone

    # --- callbacks -----------------------------------------------------------------------

    def _by_callback(self, contact: Contact) -> None:
        command = callbacks.RequestCallback(
            contact.agency, citizen_phone(contact.serial), "el", topic=None
        )
        try:
            receipt = callbacks.request_callback(self.world.ctx, command)
        except DomainError:
            self.seen.callbacks["refused"] += 1  # no window with room in the horizon
            return
        self.seen.callbacks["requested"] += 1
        self._callbacks.append(receipt["reference"])

    def _call_back(self, now: datetime) -> None:
        """Each callback agent on shift makes one call per tick, the oldest window first."""
        answers = self.plan.callback_answer
        for worker in self.world.callback:
            if not worker.on_shift(now):
                continue
            try:
                callback = callbacks.claim_next(self.world.ctx, worker.agent)
            except DomainError:
                return  # nothing due for anyone
            outcome = Outcome(self.rng.choices(list(answers), list(answers.values()))[0])
            command = callbacks.RecordOutcome(outcome, callback.version)
            callbacks.record_outcome(self.world.ctx, worker.agent, callback.reference, command)
            self.seen.callbacks[f"call_{outcome.value}"] += 1

    # --- appointments ----------------------------------------------------------------------

    def _book_todays_visits(self) -> None:
        """The evening before: today's visits are booked, then a few of them cancelled."""
        ctx, plan = self.world.ctx, self.plan
        wanted = int(plan.contacts * plan.appointments_per_contact)
        places = []
        for branch in ctx.catalogue.branches.values():
            for service in sorted(branch.services):
                slots = booking_book.availability(ctx, branch.id, service, plan.day, plan.day)
                places += [(branch.id, service, s) for s, left in slots for _ in range(left)]
        self.rng.shuffle(places)
        for serial, (branch, service, slot) in enumerate(places[:wanted]):
            receipt = self._book(branch, service, slot.start, 900_000 + serial)
            if receipt is None:
                continue
            fate = self.rng.random()
            if fate < plan.served_share:
                self.at(slot.start - timedelta(minutes=5), "check_in", (branch, receipt["code"]))
            elif fate > plan.served_share + plan.no_show_share:
                booking_change.cancel(ctx, receipt["code"], receipt["manage_token"])
                self.seen.appointments["cancelled"] += 1
            self._visits.append(receipt["code"])
        self.seen.appointments["visits_today"] = len(self._visits)

    def _book(self, branch: str, service: str, start: datetime, serial: int) -> dict | None:
        citizen = BookingCitizen(f"Πολίτης {serial}", amka(serial), phone=citizen_phone(serial))
        command = booking_book.BookAppointment(
            branch, service, start, Mode.IN_PERSON, "el", citizen
        )
        try:
            return booking_book.book(self.world.ctx, command)
        except DomainError:
            self.seen.appointments["refused"] += 1
            return None
        finally:
            metrics.clear_metrics()  # the evening before runs outside the event loop

    def _by_booking(self, contact: Contact) -> None:
        """A booking made today, for a day in the next two weeks; some are cancelled later."""
        ctx = self.world.ctx
        branch = self.rng.choice(sorted(ctx.catalogue.branches.values(), key=lambda b: b.id))
        service = self.rng.choice(sorted(branch.services))
        first = self.plan.day + timedelta(days=1 + self.rng.randrange(10))
        slots = booking_book.availability(ctx, branch.id, service, first, first + timedelta(days=3))
        if not slots:
            self.seen.appointments["no_place"] += 1
            return
        slot, _ = self.rng.choice(slots)
        receipt = self._book(branch.id, service, slot.start, contact.serial)
        if receipt is None:
            return
        self.seen.appointments["booked_ahead"] += 1
        if self.rng.random() < 0.1:
            later = contact.at + timedelta(hours=self.rng.uniform(0.5, 6))
            self.at(later, "cancel", receipt)

    def _on_cancel(self, receipt: dict) -> None:
        booking_change.cancel(self.world.ctx, receipt["code"], receipt["manage_token"])
        self.seen.appointments["cancelled_ahead"] += 1

    def _on_check_in(self, payload: tuple[str, str]) -> None:
        branch, code = payload
        desk = self.world.desks[branch]
        version = self.world.ctx.bookings.get(code).version  # the reminder moved it on
        booking = booking_desk.staff_act(self.world.ctx, desk, branch, code, "check-in", version)
        service = self.world.ctx.catalogue.services[booking.service]
        self.at(booking.start + service.duration, "served", (branch, code, booking.version))

    def _on_served(self, payload: tuple[str, str, int]) -> None:
        branch, code, version = payload
        desk = self.world.desks[branch]
        booking_desk.staff_act(self.world.ctx, desk, branch, code, "served", version)
        self.seen.appointments["served"] += 1
        self._offered_survey()

    # --- surveys ---------------------------------------------------------------------------

    def _offered_survey(self) -> None:
        """The message just written carries a survey link; some citizens answer it later."""
        self.seen.surveys_offered += 1
        if self.rng.random() >= self.plan.survey_response:
            return
        body = self.world.outbox.messages(1)[0]["body"]
        found = SURVEY_LINK.search(body)
        assert found, body  # every answered case and served visit offers a survey
        later = self.world.clock.now() + timedelta(minutes=self.rng.uniform(5, 240))
        self.at(later, "survey", (found.group(1), found.group(2)))

    def _on_survey(self, link: tuple[str, str]) -> None:
        survey_id, token = link
        scores = self.plan.survey_scores
        score = self.rng.choices(range(1, 6), scores)[0]
        held = surveys.view(self.world.ctx, survey_id, token)
        surveys.answer(self.world.ctx, held, score, "")
        self.seen.satisfaction[score] += 1

    # --- the end of the day ------------------------------------------------------------------

    def _close_the_day(self) -> None:
        ctx, seen = self.world.ctx, self.seen
        seen.open_by_tier.update(self._open.values())
        for code in self._visits:
            status = ctx.bookings.get(code).status
            if status == BookingStatus.NO_SHOW:
                seen.appointments["no_show"] += 1
        for reference in self._callbacks:
            callback = ctx.callbacks.get(reference)
            seen.callbacks[callback.status.value] += 1
            if callback.status == CallbackStatus.REACHED and callback.failed_attempts == 0:
                seen.callbacks["reached_first_try"] += 1
        for hour in range(24):
            seen.agents_on_phones[hour] = sum(
                1 for w in self.world.phone if w.on_shift(self.plan.at_hour(hour + 0.5))
            )

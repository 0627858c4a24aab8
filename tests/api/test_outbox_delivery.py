"""Messages to citizens leave through the outbox: a request that saved its change answers as it
should even when SES refuses to send, and the drain delivers each message exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from support import CASE_BODY, TOMORROW, Api, CountedTable, at

from chalicelib.adapters.aws.ses_notifier import SesNotifier
from chalicelib.adapters.outbox import MAX_TRIES, OutboxNotifier
from chalicelib.config import Settings
from devtools.runtime import LocalRuntime

REGION = "eu-central-1"
SENDER = "no-reply@1555.gov.gr"
BOOKING = {
    "branch": SYNTAGMA,
    "service": CERTIFICATE,
    "start": at(TOMORROW, 10).isoformat(),
    "mode": "in_person",
    "language": "el",
    "citizen": {"full_name": "Πολίτης 1", "amka": amka(1), "email": "c1@example.gr"},
}
ROUTES = [("/api/v1/cases", CASE_BODY), ("/api/v1/bookings", BOOKING)]


@pytest.fixture
def ses():
    """SES in the sandbox: the sender is not verified until a test verifies it."""
    with mock_aws():
        client = boto3.client("sesv2", region_name=REGION)
        yield client


def delivered() -> list[str]:
    return [m.destinations for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages]


def drain(api: Api, ses: Any) -> int:
    sender = SesNotifier(ses, boto3.client("sns", region_name=REGION), SENDER)
    return api.runtime.ctx.notifier.deliver(sender)


@pytest.mark.parametrize(("path", "body"), ROUTES)
def test_a_refused_send_leaves_the_answer_a_201_and_the_message_goes_once_when_ses_allows(
    api, ses, path, body
):
    key = {"Idempotency-Key": "outbox-1"}
    first = api.post(path, body, headers=key)
    assert first.status == 201, first.body
    assert drain(api, ses) == 0  # MessageRejected: the sender is not verified
    assert delivered() == []

    ses.create_email_identity(EmailIdentity=SENDER)
    assert drain(api, ses) == 0  # not before its backoff
    api.runtime.clock.advance(timedelta(minutes=2))
    assert drain(api, ses) == 1
    assert delivered() == [[body["citizen"]["email"]]]
    assert drain(api, ses) == 0  # a second drain sends nothing

    again = api.post(path, body, headers=key)
    assert (again.status, again.body) == (201, first.body)
    api.runtime.clock.advance(timedelta(hours=1))
    assert drain(api, ses) == 0
    assert len(api.get("/api/v1/dev/outbox").body["messages"]) == 1


def test_a_message_that_keeps_failing_goes_to_the_dead_letters(api, ses):
    assert api.post("/api/v1/cases", CASE_BODY).status == 201
    for _ in range(MAX_TRIES):
        assert drain(api, ses) == 0
        api.runtime.clock.advance(timedelta(hours=1))
    outbox = api.runtime.ctx.notifier
    assert isinstance(outbox, OutboxNotifier)
    [dead] = outbox.dead_letters()
    assert dead["template"] == "case_received" and "MessageRejected" in dead["error"]
    ses.create_email_identity(EmailIdentity=SENDER)
    assert drain(api, ses) == 0  # an operator decides what to do with it


@pytest.fixture
def watched(table, clock):
    store = CountedTable(table)
    yield store, Api(LocalRuntime(Settings(), table=store, clock=clock))  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "body"), ROUTES)
def test_the_change_its_timers_and_its_message_are_one_transaction(watched, path, body):
    store, api = watched
    store.single.clear()
    store.transactions = 0
    assert api.post(path, body).status == 201
    assert (store.transactions, store.writes) == (1, 0)


@pytest.mark.parametrize(("path", "body"), ROUTES)
def test_a_failed_transaction_leaves_no_change_no_timer_and_no_message(watched, path, body):
    store, api = watched
    store.fail = True
    assert api.post(path, body).status == 503
    assert api.get("/api/v1/dev/outbox").body["messages"] == []
    far = api.runtime.clock.now() + timedelta(days=400)
    assert api.runtime.timers.due(far) == []
    assert store.table.query("TIMERS", index="gsi2") == []
    assert store.table.query("OUTBOX") == []


def test_an_agent_action_its_timer_and_its_message_are_one_transaction(watched):
    store, api = watched
    ref = api.post("/api/v1/cases", CASE_BODY).body["reference"]
    maria = api.token("maria")
    assert api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria).status == 200
    store.single.clear()
    store.transactions = 0
    asked = api.post(
        f"/api/v1/agent/cases/{ref}/request-info", {"version": 2, "question": "ΑΜ;"}, token=maria
    )
    assert asked.status == 200
    assert (store.transactions, store.writes) == (1, 0)
    assert api.get("/api/v1/dev/outbox").body["messages"][0]["template"] == "case_info_requested"


def test_a_cancellation_and_its_notice_are_one_transaction(watched):
    store, api = watched
    receipt = api.post("/api/v1/bookings", BOOKING).body
    store.single.clear()
    store.transactions = 0
    cancelled = api.post(
        f"/api/v1/bookings/{receipt['code']}/cancel",
        headers={"X-Manage-Token": receipt["manage_token"]},
    )
    assert cancelled.status == 200
    assert (store.transactions, store.writes) == (1, 0)
    assert api.get("/api/v1/dev/outbox").body["messages"][0]["template"] == "booking_cancelled"

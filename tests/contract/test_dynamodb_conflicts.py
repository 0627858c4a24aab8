"""Real DynamoDB cancels transactions that collide on an item (TransactionConflict); moto never
does, so these replay DynamoDB's documented error answers with botocore's Stubber."""

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.dynamodb.table import CONFLICT_RETRIES, DynamoTable
from chalicelib.adapters.table import (
    MAX_ITEM_BYTES,
    Absent,
    ConditionFailed,
    InvalidTransaction,
    ItemTooLarge,
    Key,
    Put,
    StoreBusy,
    Update,
)


def cancelled(*codes):
    return {
        "service_error_code": "TransactionCanceledException",
        "service_message": "Transaction cancelled",
        "http_status_code": 400,
        "modeled_fields": {"CancellationReasons": [{"Code": c} for c in codes]},
    }


@pytest.fixture
def stubbed():
    client = boto3.client("dynamodb", region_name="eu-central-1")
    with Stubber(client) as stubber:
        pauses = []
        yield DynamoTable(client, "t", sleep=pauses.append), stubber, pauses


OPS = [Put({"pk": "A", "sk": "1"}, Absent()), Update(Key("SLOT", "1"), add={"booked": 1})]


def test_a_transaction_that_lost_a_conflict_is_tried_again_and_succeeds(stubbed):
    table, stubber, pauses = stubbed
    stubber.add_client_error("transact_write_items", **cancelled("None", "TransactionConflict"))
    stubber.add_response("transact_write_items", {})

    table.transact(OPS)

    stubber.assert_no_pending_responses()
    assert len(pauses) == 1


def test_a_failed_condition_is_reported_at_once_even_beside_a_conflict(stubbed):
    table, stubber, pauses = stubbed
    stubber.add_client_error(
        "transact_write_items", **cancelled("TransactionConflict", "ConditionalCheckFailed")
    )

    with pytest.raises(ConditionFailed) as failure:
        table.transact(OPS)

    assert failure.value.index == 1 and pauses == []


def test_a_conflict_that_does_not_clear_ends_as_store_busy(stubbed):
    table, stubber, pauses = stubbed
    for _ in range(CONFLICT_RETRIES + 1):
        stubber.add_client_error("transact_write_items", **cancelled("TransactionConflict", "None"))

    with pytest.raises(StoreBusy):
        table.transact(OPS)

    assert len(pauses) == CONFLICT_RETRIES


def test_a_single_write_into_an_item_held_by_a_transaction_is_tried_again(stubbed):
    table, stubber, pauses = stubbed
    stubber.add_client_error(
        "put_item", service_error_code="TransactionConflictException", http_status_code=400
    )
    stubber.add_response("put_item", {})

    table.write(Put({"pk": "A", "sk": "1"}))

    stubber.assert_no_pending_responses()
    assert len(pauses) == 1


def test_a_transaction_dynamodb_would_refuse_is_refused_before_it_is_sent(stubbed):
    table, stubber, _ = stubbed
    twice = [Put({"pk": "A", "sk": "1"}), Update(Key("A", "1"), add={"n": 1})]

    with pytest.raises(InvalidTransaction):
        table.transact(twice)
    with pytest.raises(ItemTooLarge):
        table.write(Put({"pk": "A", "sk": "1", "doc": "x" * MAX_ITEM_BYTES}))

    stubber.assert_no_pending_responses()


def test_an_update_cancelled_for_growing_an_item_too_large_is_item_too_large(stubbed):
    table, stubber, _ = stubbed
    reason = {"Code": "ValidationError", "Message": "Item size to update has exceeded the maximum"}
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        http_status_code=400,
        modeled_fields={"CancellationReasons": [{"Code": "None"}, reason]},
    )

    with pytest.raises(ItemTooLarge):
        table.transact(OPS)

"""The table over one DynamoDB table (boto3 low-level client, passed in).

Conditions become ``ConditionExpression``s and multi-item writes become
``TransactWriteItems``, so DynamoDB itself enforces every uniqueness and bound.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, NoReturn

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.adapters import table

CONFLICT_RETRIES = 5
BATCH_GET_KEYS = 100  # DynamoDB's limit for one BatchGetItem

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_dynamo(item: table.Item) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _from_dynamo(raw: dict[str, Any]) -> table.Item:
    item = {k: _deserializer.deserialize(v) for k, v in raw.items()}
    # Numbers come back as Decimal; the table only ever stores integers.
    return {k: int(v) if isinstance(v, Decimal) else v for k, v in item.items()}


def _key(key: table.Key) -> dict[str, Any]:
    return {"pk": {"S": key.pk}, "sk": {"S": key.sk}}


class _Expression:
    """Collects placeholder names and values while building one expression."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, attr: str) -> str:
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attr
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = _serializer.serialize(value)
        return placeholder

    def condition(self, condition: table.Condition) -> str:
        match condition:
            case table.Absent():
                return "attribute_not_exists(pk)"
            case table.Exists():
                return "attribute_exists(pk)"
            case table.Equals(attr, value):
                return f"{self.name(attr)} = {self.value(value)}"
            case table.Below(attr, limit):
                n = self.name(attr)
                return f"(attribute_not_exists({n}) OR {n} < {self.value(limit)})"
            case table.AtLeast(attr, value):
                return f"{self.name(attr)} >= {self.value(value)}"
        raise TypeError(f"unknown condition {condition!r}")

    def apply_to(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = self.values
        return request


def _request(op: table.Operation, table_name: str) -> tuple[str, dict[str, Any]]:
    """Returns the transaction verb and the request body for one operation."""
    expr = _Expression()
    body: dict[str, Any] = {"TableName": table_name}
    match op:
        case table.Put(item=item):
            verb = "Put"
            body["Item"] = _to_dynamo(item)
        case table.Update(key=key, add=add, set=set_):
            verb = "Update"
            body["Key"] = _key(key)
            clauses = []
            sets = [f"{expr.name(a)} = {expr.value(v)}" for a, v in set_.items() if v is not None]
            removes = [expr.name(a) for a, v in set_.items() if v is None]
            adds = [f"{expr.name(a)} {expr.value(n)}" for a, n in add.items()]
            if sets:
                clauses.append("SET " + ", ".join(sets))
            if adds:
                clauses.append("ADD " + ", ".join(adds))
            if removes:
                clauses.append("REMOVE " + ", ".join(removes))
            body["UpdateExpression"] = " ".join(clauses)
        case table.Delete(key=key):
            verb = "Delete"
            body["Key"] = _key(key)
        case table.Check(key=key):
            verb = "ConditionCheck"
            body["Key"] = _key(key)
    if op.condition is not None:
        body["ConditionExpression"] = expr.condition(op.condition)
    return verb, expr.apply_to(body)


def _query_request(query: table.Query, table_name: str) -> dict[str, Any]:
    expr = _Expression()
    pk_attr, sk_attr = query.key_attrs
    key_condition = f"{expr.name(pk_attr)} = {expr.value(query.pk)}"
    sk = query.sk
    sk_name = expr.name(sk_attr) if sk else ""
    if sk and sk.begins_with is not None:
        key_condition += f" AND begins_with({sk_name}, {expr.value(sk.begins_with)})"
    elif sk and sk.low is not None and sk.high is not None:
        key_condition += f" AND {sk_name} BETWEEN {expr.value(sk.low)} AND {expr.value(sk.high)}"
    elif sk and sk.low is not None:
        key_condition += f" AND {sk_name} >= {expr.value(sk.low)}"
    elif sk and sk.high is not None:
        key_condition += f" AND {sk_name} <= {expr.value(sk.high)}"
    request = expr.apply_to(
        {
            "TableName": table_name,
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": not query.newest_first,
        }
    )
    if query.index:
        request["IndexName"] = query.index
    elif query.consistent:
        request["ConsistentRead"] = True
    return request


def _grew_too_large(error: dict[str, Any]) -> bool:
    """DynamoDB's own refusal of an update that grows an item past 400 KB: the one refusal
    that cannot be judged before sending, as the stored item is not known. DynamoDB names it
    only in the message of a ValidationException (a ValidationError cancellation reason)."""
    return error.get("Code") in ("ValidationException", "ValidationError") and "size" in str(
        error.get("Message", "")
    )


def _translate(error: ClientError) -> NoReturn:
    if _grew_too_large(error.response.get("Error", {})):
        raise table.ItemTooLarge("item-too-large") from error
    raise error


class DynamoTable(table.Table):
    kind = "dynamodb"

    def __init__(
        self, client: Any, table_name: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client = client
        self._name = table_name
        self._sleep = sleep

    def get(self, key: table.Key) -> table.Item | None:
        raw = self._client.get_item(TableName=self._name, Key=_key(key), ConsistentRead=True)
        return _from_dynamo(raw["Item"]) if "Item" in raw else None

    def _get_many(self, keys: Sequence[table.Key]) -> list[table.Item]:
        items: list[table.Item] = []
        for first in range(0, len(keys), BATCH_GET_KEYS):
            wanted = [_key(k) for k in keys[first : first + BATCH_GET_KEYS]]
            request = {self._name: {"Keys": wanted, "ConsistentRead": True}}
            for attempt in range(CONFLICT_RETRIES + 1):
                page = self._client.batch_get_item(RequestItems=request)
                items.extend(map(_from_dynamo, page.get("Responses", {}).get(self._name, [])))
                request = page.get("UnprocessedKeys") or {}  # left unread under load
                if not request:
                    break
                if attempt == CONFLICT_RETRIES:
                    raise table.StoreBusy()
                self._pause(attempt)
        return items

    def _query(self, query: table.Query) -> list[table.Item]:
        request = _query_request(query, self._name)
        items: list[table.Item] = []
        while True:
            if query.limit is not None:
                request["Limit"] = query.limit - len(items)
            page = self._client.query(**request)
            items.extend(_from_dynamo(raw) for raw in page.get("Items", []))
            if "LastEvaluatedKey" not in page or (
                query.limit is not None and len(items) >= query.limit
            ):
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _write(self, op: table.Operation) -> table.Item | None:
        verb, body = _request(op, self._name)
        if verb == "ConditionCheck":
            self.transact([op])
            return None
        call = {
            "Put": self._client.put_item,
            "Update": self._client.update_item,
            "Delete": self._client.delete_item,
        }[verb]
        if verb == "Update":
            body["ReturnValues"] = "ALL_NEW"
        errors = self._client.exceptions
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                response = call(**body)
                break
            except errors.ConditionalCheckFailedException as error:
                raise table.ConditionFailed(0) from error
            except errors.TransactionConflictException as error:
                # The item is inside another request's transaction at this instant.
                if attempt == CONFLICT_RETRIES:
                    raise table.StoreBusy() from error
                self._pause(attempt)
            except ClientError as error:
                _translate(error)
        return _from_dynamo(response["Attributes"]) if verb == "Update" else None

    def _transact(self, ops: Sequence[table.Operation]) -> None:
        items = []
        for op in ops:
            verb, body = _request(op, self._name)
            items.append({verb: body})
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._client.transact_write_items(TransactItems=items)
                return
            except self._client.exceptions.TransactionCanceledException as error:
                reasons = error.response.get("CancellationReasons", [])
                codes = [r.get("Code") for r in reasons]
                if any(_grew_too_large(r) for r in reasons):
                    raise table.ItemTooLarge("item-too-large") from error
                if "ConditionalCheckFailed" in codes:
                    raise table.ConditionFailed(codes.index("ConditionalCheckFailed")) from error
                # In a rush DynamoDB cancels transactions that touch an item another one is
                # writing (TransactionConflict); the outcome is unknown until tried again.
                if "TransactionConflict" not in codes or attempt == CONFLICT_RETRIES:
                    raise table.StoreBusy() from error
                self._pause(attempt)
            except ClientError as error:
                _translate(error)

    def _pause(self, attempt: int) -> None:
        # Full jitter, so the losers of one conflict do not collide again in step.
        self._sleep(random.uniform(0, 0.02 * 2**attempt))


def create_table(client: Any, table_name: str) -> None:
    """Creates the table as infra/ declares it (used by tests and the moto-backed local mode)."""
    indexes = ("gsi1", "gsi2", "gsi3", "gsi4")
    attributes = ["pk", "sk", *(f"{name}{part}" for name in indexes for part in ("pk", "sk"))]
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": f"{name}pk", "KeyType": "HASH"},
                    {"AttributeName": f"{name}sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name in indexes
        ],
    )

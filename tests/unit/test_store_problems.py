"""The store's refusals reach callers as problems, never as a 500."""

import json

import pytest

from chalicelib.adapters.table import InvalidTransaction, ItemTooLarge, StoreRefused
from chalicelib.api.problems import problem_of, problem_response


@pytest.mark.parametrize(
    ("error", "status", "problem"),
    [
        (ItemTooLarge("item-too-large"), 413, "too-large"),
        (InvalidTransaction("one-key-twice"), 422, "not-storable"),
        (StoreRefused(), 422, "not-storable"),
    ],
)
def test_a_refusal_of_the_store_is_a_problem_with_a_stable_type(error, status, problem):
    response = problem_response(problem_of(error, "en"), "en")

    body = json.loads(response.body)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert body["type"] == f"/problems/{problem}"
    assert "nothing was changed" in body["title"]

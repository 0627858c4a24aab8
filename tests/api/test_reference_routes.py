"""Public reference data and health over HTTP."""

import json

import pytest


def test_health_names_the_store_in_use(api):
    response = api.get("/api/v1/health")

    assert response.status == 200
    assert response.body["status"] == "ok"
    assert response.body["store"] == api.runtime.table.kind


def test_agencies_list_their_topics_in_greek_and_english(api):
    response = api.get("/api/v1/agencies")

    efka = next(a for a in response.body if a["id"] == "efka")
    assert efka["name"]["el"].startswith("e-ΕΦΚΑ")
    assert {"id": "pension", "name": {"el": "Συνταξιοδότηση", "en": "Pensions"}} in efka["topics"]


def test_an_unknown_route_is_its_own_404_problem_never_the_apps_not_found(api):
    response = api.get("/api/v1/nothing-here", no_route_expected=True)

    assert response.status == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.body["type"] == "/problems/no-route"


def test_a_method_a_route_does_not_take_is_refused_as_a_problem_with_allow(api):
    response = api.request("DELETE", "/api/v1/cases", headers={"Accept-Language": "en"})

    assert response.status == 405
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.body["type"] == "/problems/method-not-allowed"
    assert response.body["title"] == "This method is not supported at this address."
    assert "POST" in response.headers["Allow"]


def test_a_body_that_is_not_json_is_refused_as_a_problem(api):
    response = api.request(
        "POST", "/api/v1/cases", raw=b"<xml/>", headers={"Content-Type": "application/xml"}
    )

    assert response.status == 415
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.body["type"] == "/problems/unsupported-media-type"
    assert response.body["title"].startswith("Ο τύπος")


def test_json_nested_a_thousand_deep_is_refused_as_invalid_data_not_a_crash(api):
    deep = b"[" * 1000 + b"]" * 1000
    body = b'{"agency": ' + deep + b"}"

    response = api.request("POST", "/api/v1/cases", raw=body, headers={"Accept-Language": "en"})

    assert response.status == 422
    assert response.body["type"] == "/problems/validation"
    assert response.body["errors"] == [{"field": "", "message": "The data is nested too deeply."}]


def test_a_body_of_many_unknown_keys_gets_a_short_list_of_field_errors(api):
    body = {f"k{i}": i for i in range(20_000)}

    response = api.post("/api/v1/cases", body)

    assert response.status == 422
    assert 0 < len(response.body["errors"]) <= 20
    assert len(json.dumps(response.body)) < 10_000


@pytest.mark.parametrize(
    "body",
    [
        {"advance": "P999999999D"},
        {"advance": "P3000000D"},
        {"set": "9999-12-31T23:59:59+02:00"},
    ],
)
def test_the_dev_clock_cannot_be_sent_past_what_the_platform_can_date(api, body):
    before = api.get("/api/v1/dev/clock").body["now"]

    response = api.post("/api/v1/dev/clock", body)

    assert response.status == 422
    assert api.get("/api/v1/dev/clock").body["now"] == before
    assert api.get("/api/v1/health").status == 200

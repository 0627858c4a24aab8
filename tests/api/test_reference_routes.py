"""Public reference data and health over HTTP."""


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


def test_an_unknown_route_is_refused_by_the_gateway_as_api_gateway_does_not_a_404_problem(api):
    response = api.get("/api/v1/nothing-here")

    assert response.status == 403
    assert response.body == {"message": "Missing Authentication Token"}

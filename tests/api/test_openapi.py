"""The published OpenAPI document and the app's routes are the same set."""


def routes_of(app):
    return {(method, "/api" + path) for path, methods in app.routes.items() for method in methods}


def documented(document):
    return {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}


def test_every_route_is_documented_and_every_documented_route_exists(api):
    from app import app

    document = api.get("/api/v1/openapi.json").body

    assert document["openapi"].startswith("3.")
    assert documented(document) == routes_of(app)


def test_request_bodies_are_described_by_their_schemas(api):
    document = api.get("/api/v1/openapi.json").body

    submit = document["paths"]["/api/v1/cases"]["post"]
    schema_name = submit["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_name.rsplit("/", 1)[1]]
    assert {"agency", "topic", "subject", "description", "consent", "citizen"} <= set(
        schema["required"]
    )


def response_schema(document, path, method, status="200"):
    content = document["paths"][path][method]["responses"][status]["content"]
    name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return document["components"]["schemas"][name]


def test_the_case_receipt_and_view_describe_the_promised_date(api):
    document = api.get("/api/v1/openapi.json").body

    receipt = response_schema(document, "/api/v1/cases", "post", "201")
    view = response_schema(document, "/api/v1/cases/{reference}", "get")

    for schema in (receipt, view):
        assert schema["properties"]["promised_by"]["format"] == "date"
        assert {"due_at", "statutory_due_at", "promised_by"} <= set(schema["required"])
    assert "tracking_token" in receipt["properties"]


def parameters(document, path, method):
    return {(p["in"], p["name"]): p for p in document["paths"][path][method]["parameters"]}


def test_the_headers_a_route_reads_are_declared(api):
    document = api.get("/api/v1/openapi.json").body

    track = parameters(document, "/api/v1/cases/{reference}", "get")
    book = parameters(document, "/api/v1/bookings", "post")
    manage = parameters(document, "/api/v1/bookings/{code}/cancel", "post")

    assert track[("header", "X-Tracking-Token")]["required"] is True
    assert track[("path", "reference")]["schema"]["pattern"]
    assert ("header", "Accept-Language") in track
    assert book[("header", "Idempotency-Key")]["required"] is False
    assert manage[("header", "X-Manage-Token")]["required"] is True


def test_query_parameters_come_from_the_query_models(api):
    document = api.get("/api/v1/openapi.json").body

    availability = parameters(document, "/api/v1/branches/{branch}/availability", "get")

    assert {name for where, name in availability if where == "query"} >= {"service", "from", "to"}
    assert availability[("query", "from")]["required"] is True


def test_staff_routes_need_a_bearer_token_and_public_ones_do_not(api):
    document = api.get("/api/v1/openapi.json").body

    assert document["paths"]["/api/v1/agent/queue"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/v1/cases"]["post"]


def test_a_receipt_links_to_the_resource_it_describes_with_its_token(api):
    document = api.get("/api/v1/openapi.json").body
    ids = {op["operationId"] for ops in document["paths"].values() for op in ops.values()}

    receipt = document["paths"]["/api/v1/cases"]["post"]["responses"]["201"]["links"]["track"]
    booking = document["paths"]["/api/v1/bookings"]["post"]["responses"]["201"]["links"]

    assert receipt["operationId"] in ids
    assert receipt["parameters"]["header.X-Tracking-Token"] == "$response.body#/tracking_token"
    assert booking["cancel"]["parameters"]["header.X-Manage-Token"] == (
        "$response.body#/manage_token"
    )
    assert all(link["operationId"] in ids for link in booking.values())


def test_every_refusal_is_described_as_problem_json(api):
    document = api.get("/api/v1/openapi.json").body

    for path, ops in document["paths"].items():
        if path.startswith("/api/v1/"):
            for op in ops.values():
                assert "application/problem+json" in op["responses"]["4XX"]["content"]

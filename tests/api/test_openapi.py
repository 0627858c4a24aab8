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

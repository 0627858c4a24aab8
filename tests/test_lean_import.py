"""A cold Lambda imports only what the function it runs needs (issue "Lean Lambda").

Each check runs in a fresh interpreter: the test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Heavy modules that belong to route groups or to one function, never to `import app`.
HEAVY = (
    "boto3",
    "botocore",
    "pydantic",
    "aws_lambda_powertools",
    "jinja2",
    "holidays",
    "icalendar",
    "jwt",
    "sqlite3",
    "chalicelib.api.problems",
    "chalicelib.services.context",
)


LAMBDA_ENV = {"STAGE": "prod", "STORE": "dynamodb", "TABLE_NAME": "t"}


def _run(code: str, env: dict[str, str] = LAMBDA_ENV) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return json.loads(result.stdout.splitlines()[-1])


LOADED = """
import json, sys
import app
{body}
heavy = {heavy!r}
print(json.dumps({{"loaded": sorted(m for m in heavy if m in sys.modules), **out}}))
"""


REQUEST = """
event = {
    "resource": "/v1/agencies", "path": "/v1/agencies", "httpMethod": "GET",
    "headers": {"accept-language": "en"}, "multiValueHeaders": {},
    "queryStringParameters": None, "multiValueQueryStringParameters": None,
    "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
    "requestContext": {"resourcePath": "/v1/agencies", "httpMethod": "GET", "requestId": "r1"},
}
response = app.app(event, None)
out = {"status": response["statusCode"], "agencies": len(json.loads(response["body"]))}
"""


def test_import_app_loads_no_route_group_and_no_heavy_library() -> None:
    answer = _run(LOADED.format(body="out = {}", heavy=HEAVY))
    assert answer["loaded"] == []


def test_a_request_loads_only_its_own_route_group(tmp_path: Path) -> None:
    body = REQUEST
    groups = ("chalicelib.api.reference", "chalicelib.api.cases", "chalicelib.api.bookings")
    local = {"STAGE": "local", "STORE": "sqlite", "SQLITE_PATH": str(tmp_path / "t.db")}
    answer = _run(LOADED.format(body=body, heavy=groups), local)
    assert answer["status"] == 200
    assert answer["agencies"] > 0
    assert answer["loaded"] == ["chalicelib.api.reference"]


def test_a_path_missing_from_a_stale_index_is_still_served(tmp_path: Path) -> None:
    body = REQUEST.replace("response = ", "app.app._index = {}\nresponse = ")
    groups = ("chalicelib.api.reference", "chalicelib.api.bookings")
    local = {"STAGE": "local", "STORE": "sqlite", "SQLITE_PATH": str(tmp_path / "t.db")}
    answer = _run(LOADED.format(body=body, heavy=groups), local)
    assert answer["status"] == 200
    assert answer["loaded"] == sorted(groups)  # every group, since the index did not say


def test_listing_the_routes_loads_every_group() -> None:
    body = "out = {'routes': len(app.app.routes), 'cases': '/v1/cases' in app.app.routes}"
    answer = _run(LOADED.format(body=body, heavy=("chalicelib.api.open311",)))
    assert answer["loaded"] == ["chalicelib.api.open311"]
    assert answer["cases"] is True
    assert answer["routes"] > 40


def test_the_route_index_is_current() -> None:
    # If this fails after adding a route: `python -m devtools.route_index`.
    code = "import json\nfrom devtools.route_index import INDEX, render\n"
    code += "print(json.dumps({'same': INDEX.read_text() == render()}))"
    assert _run(code) == {"same": True}

"""The local run over DynamoDB served by moto's server, as `make run-dynamodb` starts it."""

import socket

import pytest
from moto.server import ThreadedMotoServer
from support import CASE_BODY, Api

from chalicelib.config import Settings
from devtools.runtime import LocalRuntime


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def moto_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_the_local_server_runs_over_a_dynamodb_endpoint_and_keeps_cases_there(moto_server, clock):
    settings = Settings(store="dynamodb", dynamodb_endpoint=moto_server, table_name="local-cs")
    api = Api(LocalRuntime(settings, clock=clock))

    created = api.post("/api/v1/cases", CASE_BODY)
    again = Api(LocalRuntime(settings, clock=clock))  # a restart finds the table and the case
    tracked = again.get(
        f"/api/v1/cases/{created.body['reference']}",
        headers={"X-Tracking-Token": created.body["tracking_token"]},
    )

    assert api.get("/api/v1/health").body["store"] == "dynamodb"
    assert created.status == 201
    assert tracked.status == 200 and tracked.body["subject"] == CASE_BODY["subject"]

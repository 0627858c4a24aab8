"""The platform refuses to start with a configuration that would leave its doors open."""

import pytest

from chalicelib.config import LOCAL_PSEUDONYM_KEY, ConfigurationError, settings_from_env


@pytest.mark.parametrize("stage", [None, "", "Local", "staging"])
def test_a_missing_or_unknown_stage_refuses_to_start(stage):
    env = {} if stage is None else {"STAGE": stage}

    with pytest.raises(ConfigurationError):
        settings_from_env(env)


@pytest.mark.parametrize("key", [None, "", LOCAL_PSEUDONYM_KEY])
def test_an_aws_stage_without_its_own_pseudonym_key_refuses_to_start(key):
    env = {"STAGE": "prod", "STORE": "dynamodb"}
    if key is not None:
        env["PSEUDONYM_KEY"] = key

    with pytest.raises(ConfigurationError):
        settings_from_env(env)


def test_only_the_explicit_local_stage_is_local():
    local = settings_from_env({"STAGE": "local"})
    prod = settings_from_env({"STAGE": "prod", "STORE": "dynamodb", "PSEUDONYM_KEY": "k" * 64})

    assert local.is_local and local.pseudonym_key == LOCAL_PSEUDONYM_KEY
    assert not prod.is_local and prod.pseudonym_key == "k" * 64


def test_an_unknown_store_refuses_to_start():
    with pytest.raises(ConfigurationError):
        settings_from_env({"STAGE": "local", "STORE": "postgres"})


def _request_with(headers, claims=None):
    from chalice.app import Request

    context = {"authorizer": {"claims": claims}} if claims else {}
    event = {
        "multiValueQueryStringParameters": None,
        "headers": headers,
        "pathParameters": None,
        "requestContext": {"httpMethod": "GET", "resourcePath": "/v1/agent/queue", **context},
        "body": None,
        "isBase64Encoded": False,
        "stageVariables": None,
    }
    return Request(event)


def test_a_dev_token_is_refused_outside_the_local_stage():
    from chalicelib.api.auth import current_agent, dev_token
    from chalicelib.api.problems import Problem
    from chalicelib.config import Settings
    from chalicelib.directory_data import load_directory

    maria = load_directory().agents["maria"]
    local, prod = Settings(stage="local"), Settings(stage="prod")
    request = _request_with({"authorization": "Bearer " + dev_token(maria, local.jwt_secret)})

    assert current_agent(request, local).id == "maria"
    with pytest.raises(Problem) as refused:
        current_agent(request, prod)
    assert refused.value.status == 401

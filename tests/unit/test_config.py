"""The platform refuses to start with a configuration that would leave its doors open."""

import boto3
import pytest
from moto import mock_aws

from chalicelib.config import LOCAL_PSEUDONYM_KEY, ConfigurationError, settings_from_env


@pytest.mark.parametrize("stage", [None, "", "Local", "staging"])
def test_a_missing_or_unknown_stage_refuses_to_start(stage):
    env = {} if stage is None else {"STAGE": stage}

    with pytest.raises(ConfigurationError):
        settings_from_env(env)


PARAMETER = "/citizen-service/prod/pseudonym-key"
KEY = "k" * 64


def _prod(**env):
    return {"STAGE": "prod", "STORE": "dynamodb", **env}


@pytest.fixture
def ssm():
    """SSM Parameter Store through moto, with powertools' provider and cache reset."""
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS

    parameters.clear_caches()
    DEFAULT_PROVIDERS.clear()
    with mock_aws():
        yield boto3.client("ssm", region_name="eu-central-1")
    parameters.clear_caches()
    DEFAULT_PROVIDERS.clear()


def test_an_aws_stage_reads_its_pseudonym_key_from_a_secure_ssm_parameter(ssm):
    ssm.put_parameter(Name=PARAMETER, Value=KEY, Type="SecureString")

    prod = settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER))

    assert not prod.is_local and prod.pseudonym_key == KEY


def test_the_pseudonym_key_is_read_once_per_container(ssm):
    ssm.put_parameter(Name=PARAMETER, Value=KEY, Type="SecureString")
    settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER))
    ssm.delete_parameter(Name=PARAMETER)

    # powertools' cache answers: a later build of the settings makes no second SSM call.
    assert settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER)).pseudonym_key == KEY


def test_an_aws_stage_whose_parameter_is_missing_refuses_to_start(ssm):
    with pytest.raises(ConfigurationError, match=PARAMETER):
        settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER))


@pytest.mark.parametrize("value", ["too-short", LOCAL_PSEUDONYM_KEY])
def test_an_aws_stage_with_a_weak_or_local_key_in_ssm_refuses_to_start(ssm, value):
    ssm.put_parameter(Name=PARAMETER, Value=value, Type="SecureString")

    with pytest.raises(ConfigurationError):
        settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER))


@pytest.mark.parametrize("name", [None, "", "citizen-service/prod/pseudonym-key"])
def test_an_aws_stage_without_a_parameter_name_refuses_to_start(name):
    env = _prod() if name is None else _prod(PSEUDONYM_KEY_PARAMETER=name)

    with pytest.raises(ConfigurationError, match="PSEUDONYM_KEY_PARAMETER"):
        settings_from_env(env, fetch_secret=lambda _: pytest.fail("SSM must not be asked"))


def test_an_aws_stage_refuses_a_pseudonym_key_in_plain_environment():
    env = _prod(PSEUDONYM_KEY=KEY, PSEUDONYM_KEY_PARAMETER=PARAMETER)

    with pytest.raises(ConfigurationError, match="plain"):
        settings_from_env(env, fetch_secret=lambda _: KEY)


def test_only_the_explicit_local_stage_is_local():
    local = settings_from_env({"STAGE": "local"}, fetch_secret=lambda _: pytest.fail("no SSM"))
    prod = settings_from_env(
        _prod(PSEUDONYM_KEY_PARAMETER=PARAMETER), fetch_secret={PARAMETER: KEY}.get
    )

    assert local.is_local and local.pseudonym_key == LOCAL_PSEUDONYM_KEY
    assert not prod.is_local and prod.pseudonym_key == KEY


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


def test_the_retention_period_is_400_days_unless_configured_and_a_bad_one_refuses_to_start():
    assert settings_from_env({"STAGE": "local"}).retention_days == 400
    assert settings_from_env({"STAGE": "local", "RETENTION_DAYS": "30"}).retention_days == 30
    for bad in ("0", "-5", "a year", "99999"):
        with pytest.raises(ConfigurationError):
            settings_from_env({"STAGE": "local", "RETENTION_DAYS": bad})


def test_supervisors_addresses_are_configuration_per_team_with_a_fallback(ssm):
    ssm.put_parameter(Name=PARAMETER, Value=KEY, Type="SecureString")
    emails = "efka-support=efka-sup@example.gov.gr, *=ops@example.gov.gr"

    prod = settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER, SUPERVISOR_EMAILS=emails))
    unset = settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER))

    assert dict(prod.supervisor_emails) == {
        "efka-support": "efka-sup@example.gov.gr",
        "*": "ops@example.gov.gr",
    }
    assert unset.supervisor_emails == ()  # an AWS stage never writes to a made-up address


def test_a_malformed_supervisors_address_refuses_to_start():
    with pytest.raises(ConfigurationError, match="SUPERVISOR_EMAILS"):
        settings_from_env({"STAGE": "local", "SUPERVISOR_EMAILS": "efka-support=nobody"})


def test_the_origin_secret_comes_from_ssm_and_a_named_one_that_cannot_be_read_refuses_to_start(
    ssm,
):
    ssm.put_parameter(Name=PARAMETER, Value=KEY, Type="SecureString")
    origin = "/citizen-service/prod/origin-secret"
    ssm.put_parameter(Name=origin, Value="o" * 32, Type="SecureString")
    named = _prod(PSEUDONYM_KEY_PARAMETER=PARAMETER, ORIGIN_SECRET_PARAMETER=origin)

    assert settings_from_env(named).origin_secret == "o" * 32
    assert settings_from_env(_prod(PSEUDONYM_KEY_PARAMETER=PARAMETER)).origin_secret is None
    missing = {**named, "ORIGIN_SECRET_PARAMETER": "/citizen-service/prod/nothing-here"}
    with pytest.raises(ConfigurationError, match="origin secret"):
        settings_from_env(missing)
    ssm.put_parameter(Name=origin, Value="short", Type="SecureString", Overwrite=True)
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    with pytest.raises(ConfigurationError, match="at least 24"):
        settings_from_env(named)

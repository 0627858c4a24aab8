"""`infra/stage_config.py` points a stage at its foundation stack: given `describe-stacks`, it
writes the stack's outputs into the stage's environment in a copy of .chalice/config.json."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from infra.stage_config import StageConfigError, main

ROOT = Path(__file__).resolve().parents[2]
# The shape `aws cloudformation describe-stacks --output json` prints for the foundation stack.
DESCRIBED = Path(__file__).parent / "fixtures" / "describe-stacks-prod.json"
TOOL = ROOT / "infra" / "stage_config.py"
POOL = "eu-central-1_Ab3dE6gH9"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    target = tmp_path / "config.json"
    shutil.copy(ROOT / ".chalice" / "config.json", target)
    return target


def test_writes_the_foundation_outputs_into_the_stage_environment(config):
    before = json.loads(config.read_text())

    main(["prod", "--outputs", str(DESCRIBED), "--config", str(config)])

    after = json.loads(config.read_text())
    assert after["stages"]["prod"]["environment_variables"] == {
        "STAGE": "prod",
        "STORE": "dynamodb",
        "TABLE_NAME": "citizen-service-prod",
        "TIMER_QUEUE_URL": "https://sqs.eu-central-1.amazonaws.com/123456789012/citizen-service-prod-timers",
        "TIMER_QUEUE_NAME": "citizen-service-prod-timers",
        "USER_POOL_ARN": f"arn:aws:cognito-idp:eu-central-1:123456789012:userpool/{POOL}",
        "PUBLIC_URL": "https://d1a2b3c4d5e6f7.cloudfront.net",
        "PSEUDONYM_KEY_PARAMETER": "/citizen-service/prod/pseudonym-key",
        "ORIGIN_SECRET_PARAMETER": "/citizen-service/prod/origin-secret",
        "SENDER_EMAIL": "noreply@example.gov.gr",
        "POWERTOOLS_SERVICE_NAME": "citizen-service",
        "POWERTOOLS_METRICS_NAMESPACE": "CitizenService",
        "LOG_LEVEL": "INFO",
    }
    # Everything else in the file is left as it was: other stages, policies, sizes.
    unchanged = copy.deepcopy(after)
    unchanged["stages"]["prod"] = before["stages"]["prod"]
    assert unchanged == before
    assert after["stages"]["prod"]["iam_policy_file"] == "policy-prod.json"


def test_no_sender_and_a_stale_plain_key_leave_the_environment(config, tmp_path):
    described = json.loads(DESCRIBED.read_text())
    for output in described["Stacks"][0]["Outputs"]:
        if output["OutputKey"] == "SenderEmail":
            output["OutputValue"] = "-"
    saved = tmp_path / "described.json"
    saved.write_text(json.dumps(described))
    stale = json.loads(config.read_text())
    stale["stages"]["prod"]["environment_variables"]["PSEUDONYM_KEY"] = "k" * 64
    stale["stages"]["prod"]["environment_variables"]["SENDER_EMAIL"] = "old@example.gov.gr"
    config.write_text(json.dumps(stale))

    main(["prod", "--outputs", str(saved), "--config", str(config)])

    written = json.loads(config.read_text())["stages"]["prod"]["environment_variables"]
    assert "SENDER_EMAIL" not in written
    assert "PSEUDONYM_KEY" not in written


def test_refuses_a_stack_of_another_stage(config):
    with pytest.raises(StageConfigError, match="serves stage 'prod'"):
        main(["dev", "--outputs", str(DESCRIBED), "--config", str(config)])
    assert config.read_text() == (ROOT / ".chalice" / "config.json").read_text()


@pytest.mark.parametrize("status", ["CREATE_IN_PROGRESS", "ROLLBACK_COMPLETE"])
def test_refuses_a_stack_that_is_not_deployed(config, tmp_path, status):
    described = json.loads(DESCRIBED.read_text())
    described["Stacks"][0]["StackStatus"] = status
    saved = tmp_path / "described.json"
    saved.write_text(json.dumps(described))

    with pytest.raises(StageConfigError, match=status):
        main(["prod", "--outputs", str(saved), "--config", str(config)])


def test_refuses_a_stack_missing_an_output(config, tmp_path):
    described = json.loads(DESCRIBED.read_text())
    outputs = described["Stacks"][0]["Outputs"]
    outputs[:] = [o for o in outputs if o["OutputKey"] != "UserPoolArn"]
    saved = tmp_path / "described.json"
    saved.write_text(json.dumps(described))

    with pytest.raises(StageConfigError, match="UserPoolArn"):
        main(["prod", "--outputs", str(saved), "--config", str(config)])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), "prod", "--outputs", str(DESCRIBED), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_prints_the_site_builds_cognito_settings(config):
    printed = _run("--site-env", "--config", str(config)).stdout.splitlines()

    assert printed == [
        "COGNITO_DOMAIN=https://citizen-service-prod-123456789012.auth.eu-central-1.amazoncognito.com",
        "COGNITO_CLIENT_ID=4mq1s7hk2nb3vdt6lq8c0ep5ra",
    ]
    assert config.read_text() == (ROOT / ".chalice" / "config.json").read_text()


def test_site_env_feeds_the_site_builds_hosted_login():
    sys.path.insert(0, str(ROOT / "frontend"))
    try:
        from build import site_config
    finally:
        sys.path.remove(str(ROOT / "frontend"))
    lines = _run("--site-env").stdout.splitlines()
    env = dict(line.split("=", 1) for line in lines)

    assert site_config(env) == {
        "auth": "cognito",
        "cognito": {
            "domain": "https://citizen-service-prod-123456789012.auth.eu-central-1.amazoncognito.com",
            "client_id": "4mq1s7hk2nb3vdt6lq8c0ep5ra",
        },
    }


def test_prints_one_output_for_scripts():
    assert _run("--output", "SiteBucketName").stdout == (
        "citizen-service-prod-foundation-sitebucket-1x2y3z4w5v6u\n"
    )

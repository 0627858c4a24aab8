"""The foundation stack (infra/foundation.json): the long-lived resources of a stage, deployed
once with `aws cloudformation deploy`, that no function deploy touches."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOUNDATION = ROOT / "infra" / "foundation.json"
CHALICE_CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return json.loads(FOUNDATION.read_text())


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def props(resources: dict[str, Any], logical_id: str, kind: str) -> dict[str, Any]:
    resource = resources[logical_id]
    assert resource["Type"] == kind
    return resource["Properties"]


def test_foundation_template_lints_clean_with_no_rule_ignored():
    result = subprocess.run(
        [
            os.path.join(os.path.dirname(sys.executable), "cfn-lint"),
            "--regions",
            "eu-central-1",
            "--",
            str(FOUNDATION),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ignore_checks" not in FOUNDATION.read_text()


def test_foundation_holds_no_function_and_keeps_its_data(resources):
    kinds = {r["Type"] for r in resources.values()}
    assert not {k for k in kinds if k.startswith(("AWS::Lambda::", "AWS::Serverless::"))}
    assert not {k for k in kinds if k.startswith(("AWS::IAM::", "AWS::ApiGateway::"))}
    for retained in ("Table", "AgentUserPool", "SiteBucket"):
        assert resources[retained]["DeletionPolicy"] == "Retain"
        assert resources[retained]["UpdateReplacePolicy"] == "Retain"


def test_table_has_the_keys_indexes_and_ttl_the_code_uses(resources):
    table = props(resources, "Table", "AWS::DynamoDB::Table")
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert sorted(indexes) == ["gsi1", "gsi2", "gsi3", "gsi4"]
    for name, index in indexes.items():
        assert index["KeySchema"] == [
            {"AttributeName": f"{name}pk", "KeyType": "HASH"},
            {"AttributeName": f"{name}sk", "KeyType": "RANGE"},
        ]
        assert index["Projection"] == {"ProjectionType": "ALL"}
    assert {a["AttributeType"] for a in table["AttributeDefinitions"]} == {"S"}
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["SSESpecification"]["SSEEnabled"] is True
    assert resources["Table"]["DeletionPolicy"] == "Retain"


def test_timer_queue_redrives_to_the_dead_letter_queue(resources):
    queue = props(resources, "TimerQueue", "AWS::SQS::Queue")
    dlq = props(resources, "TimerDeadLetterQueue", "AWS::SQS::Queue")
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["TimerDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    assert dlq["MessageRetentionPeriod"] == 14 * 24 * 3600
    on_timer = CHALICE_CONFIG["lambda_functions"]["on_timer"]
    # A message stays invisible while Lambda retries its batch: AWS asks for >= 6x the timeout.
    assert queue["VisibilityTimeout"] >= 6 * on_timer["lambda_timeout"]


def test_user_pool_is_for_admin_created_agents(resources):
    pool = props(resources, "AgentUserPool", "AWS::Cognito::UserPool")
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    custom = {a["Name"]: a for a in pool["Schema"] if a["Name"] in ("teams", "branches")}
    assert sorted(custom) == ["branches", "teams"]
    for attribute in custom.values():
        assert attribute["AttributeDataType"] == "String"
        assert attribute["Mutable"] is True
    groups = {
        r["Properties"]["GroupName"]: r["Properties"]["UserPoolId"]
        for r in resources.values()
        if r["Type"] == "AWS::Cognito::UserPoolGroup"
    }
    assert groups == {name: {"Ref": "AgentUserPool"} for name in ("agent", "supervisor", "admin")}
    client = props(resources, "ConsoleClient", "AWS::Cognito::UserPoolClient")
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    # Agents must not widen their own access: only admins set teams and branches.
    assert not any(a.startswith("custom:") for a in client["WriteAttributes"])


def test_staff_sign_in_with_a_second_factor_from_an_authenticator_app(resources):
    # Staff read citizens' AMKA, phones and e-mails: a leaked password alone must not do.
    pool = props(resources, "AgentUserPool", "AWS::Cognito::UserPool")
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]  # no SMS codes (SIM swap)


def test_site_bucket_is_private_and_served_by_cloudfront(resources):
    bucket = props(resources, "SiteBucket", "AWS::S3::Bucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"]

    config = props(resources, "SiteDistribution", "AWS::CloudFront::Distribution")[
        "DistributionConfig"
    ]
    # Until the functions exist (RestApiId empty) CloudFront serves the site alone.
    has_api, with_api, without_api = config["Origins"]["Fn::If"]
    assert has_api == "HasApi"
    assert [o["Id"] for o in without_api] == ["site"]
    origins = {origin["Id"]: origin for origin in with_api}
    assert origins["site"]["OriginAccessControlId"] == {
        "Fn::GetAtt": ["SiteOriginAccessControl", "Id"]
    }
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    assert "${RestApiId}.execute-api." in origins["api"]["DomainName"]["Fn::Sub"]
    # The stage is "api", so /api/v1/... at CloudFront is /v1/... in the API: no OriginPath.
    assert "OriginPath" not in origins["api"]
    behaviours = config["CacheBehaviors"]["Fn::If"]
    assert behaviours[0] == "HasApi" and behaviours[2] == {"Ref": "AWS::NoValue"}
    (api,) = [b for b in behaviours[1] if b["PathPattern"] == "/api/*"]
    assert api["TargetOriginId"] == "api"
    all_methods = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert set(api["AllowedMethods"]) == all_methods
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    headers = props(resources, "ApiOriginRequestPolicy", "AWS::CloudFront::OriginRequestPolicy")[
        "OriginRequestPolicyConfig"
    ]["HeadersConfig"]
    # API Gateway needs its own Host; every other viewer header (Authorization too) goes through.
    assert headers == {"HeaderBehavior": "allExcept", "Headers": ["Host"]}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_names_are_the_ones_the_stage_policy_and_config_grant(resources, template, stage):
    def named(value: dict[str, str]) -> str:
        return value["Fn::Sub"].replace("${Stage}", stage)

    policy = (ROOT / ".chalice" / f"policy-{stage}.json").read_text()
    table = named(props(resources, "Table", "AWS::DynamoDB::Table")["TableName"])
    queue = named(props(resources, "TimerQueue", "AWS::SQS::Queue")["QueueName"])
    parameter = named(template["Outputs"]["PseudonymKeyParameterName"]["Value"])
    assert f'table/{table}"' in policy
    assert f':sqs:*:*:{queue}"' in policy
    assert f':parameter{parameter}"' in policy
    environment = CHALICE_CONFIG["stages"][stage]["environment_variables"]
    assert environment["TABLE_NAME"] == table
    assert environment["TIMER_QUEUE_NAME"] == queue
    assert environment["PSEUDONYM_KEY_PARAMETER"] == parameter
    assert template["Parameters"]["Stage"]["AllowedValues"] == ["dev", "prod"]


def test_outputs_name_what_the_stage_the_site_and_ops_need(template):
    from infra.stage_config import ENVIRONMENT, SITE_ENVIRONMENT

    outputs = template["Outputs"]
    assert set(ENVIRONMENT.values()) | set(SITE_ENVIRONMENT.values()) <= set(outputs)
    assert {
        "Stage",
        "TimerQueueArn",
        "TimerDeadLetterQueueUrl",
        "UserPoolId",
        "SiteBucketName",
        "SiteDistributionId",
        "SiteDistributionDomainName",
    } <= set(outputs)
    # PUBLIC_URL is the distribution's own address.
    assert outputs["SiteUrl"]["Value"] == {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
    client = template["Resources"]["ConsoleClient"]["Properties"]
    assert client["CallbackURLs"] == [{"Fn::Sub": "https://${SiteDistribution.DomainName}/agent/"}]
    assert re.fullmatch(r"\^\[a-z0-9\]\*\$", template["Parameters"]["RestApiId"]["AllowedPattern"])


@pytest.mark.parametrize("doc", ["README.md", "docs/deploy.md"])
def test_deploy_commands_in_the_docs_name_real_outputs_and_parameters(template, doc):
    text = (ROOT / doc).read_text()
    assert "infra/foundation.json" in text and "chalice deploy --stage $STAGE" in text
    outputs = set(re.findall(r"stage_config\.py \$STAGE --output (\w+)", text))
    assert outputs and outputs <= set(template["Outputs"]), outputs - set(template["Outputs"])
    for overrides in re.findall(r"--parameter-overrides ((?:\S+=\S*\s*\\?\s*)+)", text):
        names = set(re.findall(r"(\w+)=", overrides))
        assert names <= set(template["Parameters"]), names
    assert "--name /citizen-service/$STAGE/pseudonym-key --type SecureString" in text
    assert "PseudonymKey=" not in text  # the key is no stack parameter any more


def test_a_waf_rate_based_rule_guards_the_api_stage_once_it_exists(resources):
    acl = props(resources, "ApiWebAcl", "AWS::WAFv2::WebACL")
    association = props(resources, "ApiWebAclAssociation", "AWS::WAFv2::WebACLAssociation")

    assert resources["ApiWebAcl"]["Condition"] == resources["ApiWebAclAssociation"]["Condition"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    [rule] = acl["Rules"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP" and rate["Limit"] == {
        "Ref": "ApiRequestsPerFiveMinutes"
    }
    refusal = rule["Action"]["Block"]["CustomResponse"]
    assert refusal["ResponseCode"] == 429
    assert {"Name": "Retry-After", "Value": "300"} in refusal["ResponseHeaders"]
    body = json.loads(acl["CustomResponseBodies"][refusal["CustomResponseBodyKey"]]["Content"])
    assert body["type"] == "/problems/rate-limited"
    assert association["ResourceArn"]["Fn::Sub"].endswith("/restapis/${RestApiId}/stages/api")


def test_cloudfront_tells_the_api_the_viewers_address_and_proves_it_came_through_cloudfront(
    resources, template
):
    """Behind CloudFront every citizen has the edge's sourceIp: the per-address limit needs the
    viewer's address, which the API trusts only beside the origin secret (docs/security.md)."""
    function = props(resources, "ApiViewerAddress", "AWS::CloudFront::Function")
    assert (
        "request.headers['x-viewer-address'] = { value: event.viewer.ip }"
        in (function["FunctionCode"])
    )
    config = props(resources, "SiteDistribution", "AWS::CloudFront::Distribution")
    distribution = config["DistributionConfig"]
    [api_behaviour] = distribution["CacheBehaviors"]["Fn::If"][1]
    [association] = api_behaviour["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"]["Fn::GetAtt"][0] == "ApiViewerAddress"
    [api_origin] = [o for o in distribution["Origins"]["Fn::If"][1] if o["Id"] == "api"]
    headers = api_origin["OriginCustomHeaders"]["Fn::If"]
    assert headers[0] == "HasOriginSecret"
    assert headers[1] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": {"Ref": "OriginSecret"}}]
    assert template["Parameters"]["OriginSecret"]["NoEcho"] is True

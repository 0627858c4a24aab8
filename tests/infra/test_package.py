"""`infra/package.sh` builds the functions' stack: one linted template and a lean Lambda zip.

The stack holds the functions, the API and their roles; the table, queues, user pool and site
are the foundation stack's (tests/infra/test_foundation.py), named in .chalice/config.json."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("dev", "prod")
# The issue "Lean Lambda": the zip stays within 5 MB (it was 7.0 MB).
ZIP_BUDGET = 5_000_000
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
PROD = CONFIG["stages"]["prod"]["environment_variables"]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    # Under pytest-xdist every worker has this fixture: the first one packages, the others
    # wait on the lock and reuse its output (concurrent runs would race on chalice's cache).
    shared = tmp_path_factory.getbasetemp()
    # pytest-xdist's worker_id, also when the plugin is off (-p no:xdist).
    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    if worker_id != "master":
        shared = shared.parent
    out = shared / "package-prod"
    outcome = shared / "package-prod.json"
    with open(shared / "package-prod.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.exists():
            outcome.write_text(json.dumps(_run_package(out)))
    returncode, output = json.loads(outcome.read_text())
    assert returncode == 0, output
    return out


def _run_package(out: Path, stage: str = "prod") -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k == "AWS_CA_BUNDLE"}
    # No credentials anywhere: packaging must not need them.
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(
        [str(ROOT / "infra" / "package.sh"), stage, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return result.returncode, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture(scope="module")
def template(package: Path) -> dict[str, Any]:
    return json.loads((package / "sam.json").read_text())


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def props(resources: dict[str, Any], logical_id: str, kind: str) -> dict[str, Any]:
    resource = resources[logical_id]
    assert resource["Type"] == kind
    return resource["Properties"]


def test_dev_stage_packages_and_lints_too(tmp_path):
    returncode, output = _run_package(tmp_path / "package-dev", "dev")
    assert returncode == 0, output
    template = json.loads((tmp_path / "package-dev" / "sam.json").read_text())
    variables = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["STAGE"] == "dev"
    assert variables["TABLE_NAME"] == "citizen-service-dev"


def test_function_stack_leaves_the_long_lived_resources_to_the_foundation(resources):
    kinds = {r["Type"] for r in resources.values()}
    assert kinds <= {
        "AWS::Serverless::Function",
        "AWS::Serverless::Api",
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
        "AWS::Lambda::Permission",
    }, kinds


def test_on_timer_consumes_the_foundations_queue_one_message_at_a_time(resources):
    on_timer = props(resources, "OnTimer", "AWS::Serverless::Function")
    assert on_timer["Handler"] == "app.on_timer"
    sqs = [e["Properties"] for e in on_timer["Events"].values() if e["Type"] == "SQS"]
    assert len(sqs) == 1
    assert sqs[0]["BatchSize"] == 1
    # chalice builds the ARN from TIMER_QUEUE_NAME, which config.json's stage sets.
    account_queue = "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:"
    assert sqs[0]["Queue"] == {"Fn::Sub": account_queue + PROD["TIMER_QUEUE_NAME"]}


def test_sweeper_runs_on_a_schedule(resources):
    sweeper = props(resources, "Sweeper", "AWS::Serverless::Function")
    assert sweeper["Handler"] == "app.sweeper"
    schedules = [e["Properties"] for e in sweeper["Events"].values() if e["Type"] == "Schedule"]
    assert schedules == [{"Schedule": "rate(5 minutes)"}]
    # Done well before the next run starts.
    assert sweeper["Timeout"] < 5 * 60


@pytest.mark.parametrize("function", ["APIHandler", "OnTimer", "Sweeper"])
def test_functions_take_the_stage_environment_with_no_secret_in_it(resources, function):
    variables = props(resources, function, "AWS::Serverless::Function")["Environment"]["Variables"]
    assert variables == PROD
    assert variables["STAGE"] == "prod"
    assert variables["STORE"] == "dynamodb"
    assert variables["PSEUDONYM_KEY_PARAMETER"] == "/citizen-service/prod/pseudonym-key"
    assert "PSEUDONYM_KEY" not in variables


def test_function_roles_carry_the_stage_policy(resources):
    policy = json.loads((ROOT / ".chalice" / "policy-prod.json").read_text())
    for role in ("ApiHandlerRole", "OnTimerRole", "SweeperRole"):
        documents = [
            p["PolicyDocument"] for p in props(resources, role, "AWS::IAM::Role")["Policies"]
        ]
        assert documents == [policy]


def test_api_is_served_under_api_with_the_foundations_user_pool(resources):
    api = props(resources, "RestAPI", "AWS::Serverless::Api")
    assert api["StageName"] == "api"
    authorizer = api["DefinitionBody"]["securityDefinitions"]["AgentPool"]
    assert authorizer["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert authorizer["x-amazon-apigateway-authorizer"]["providerARNs"] == [PROD["USER_POOL_ARN"]]
    paths = api["DefinitionBody"]["paths"]
    assert paths["/v1/agent/queue"]["get"]["security"] == [{"AgentPool": []}]
    assert "security" not in paths["/v1/cases"]["post"]


def test_zip_holds_the_app_and_its_runtime_dependencies_only(package):
    with zipfile.ZipFile(package / "deployment.zip") as archive:
        names = archive.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert "app.py" in tops
    assert "chalicelib/bootstrap.py" in names
    assert "chalicelib/data/directory.json" in names
    assert "pydantic_core" in tops  # a compiled dependency, built for Lambda's Linux
    unwanted_tops = ("devtools", "simulator", "tests", "frontend", "bench", "boto3", "botocore")
    for unwanted in (*unwanted_tops, "moto", "jwt", "matplotlib", "numpy"):
        assert unwanted not in tops, unwanted


def test_zip_fits_the_size_budget(package):
    assert (package / "deployment.zip").stat().st_size <= ZIP_BUDGET


def test_zip_leaves_out_what_the_functions_never_load(package):
    with zipfile.ZipFile(package / "deployment.zip") as archive:
        names = archive.namelist()
    assert not [n for n in names if "swagger" in n.lower()]
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/")]
    assert not [n for n in names if n.startswith("aws_lambda_powertools/event_handler/")]
    countries = {n for n in names if n.startswith("holidays/countries/")}
    assert countries <= {
        "holidays/countries/__init__.py",
        "holidays/countries/__init__.pyc",
        "holidays/countries/greece.pyc",
    }, sorted(countries)[:5]
    locales = {n.rsplit("/", 1)[-1] for n in names if n.startswith("holidays/locale/")}
    assert locales <= {"GR.mo", "GR.po"}


@pytest.fixture(scope="module")
def unpacked(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip as Lambda sees it: every entry dated 1980, nothing writable to rely on."""
    tree = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(package / "deployment.zip") as archive:
        archive.extractall(tree)
    dated_1980 = 315532800  # 1980-01-01, the date of every entry in the zip
    for path in tree.rglob("*"):
        os.utime(path, (dated_1980, dated_1980))
    return tree


# Runs in a fresh interpreter that sees only the unpacked zip and the standard library (boto3
# is not needed to import the app). A module whose bytecode is missing or not accepted is
# compiled from source: importlib then calls source_to_code, which this counts.
IMPORT_APP = """
import datetime, importlib.machinery, json, sys
compiled = []
original = importlib.machinery.SourceFileLoader.source_to_code
def counting(self, data, path, **kwargs):
    compiled.append(path)
    return original(self, data, path, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = counting
sys.path[:0] = [sys.argv[1]]
import app
from chalicelib.domain.calendar import is_greek_public_holiday
import icalendar, jinja2  # imported on first use in Lambda: their bytecode is shipped too
from chalicelib.api.case_schemas import ActionIn
holiday = is_greek_public_holiday(datetime.date(2027, 5, 3))  # Orthodox Easter Monday
workday = is_greek_public_holiday(datetime.date(2027, 5, 12))
version = ActionIn.model_validate({"version": 2}).version
print(json.dumps({
    "holiday": holiday, "workday": workday, "version": version, "compiled": compiled,
    "handlers": sorted(n for n in ("app", "on_timer", "sweeper") if callable(getattr(app, n))),
}))
"""


def test_packaged_app_imports_from_shipped_bytecode_only(unpacked):
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", IMPORT_APP, str(unpacked)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "STAGE": "prod", "STORE": "dynamodb"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["holiday"] is True
    assert outcome["workday"] is False
    assert outcome["version"] == 2
    assert outcome["handlers"] == ["app", "on_timer", "sweeper"]
    assert outcome["compiled"] == []


def test_template_points_at_the_packaged_handlers(resources, package):
    handlers = {
        props(resources, name, "AWS::Serverless::Function")["Handler"]
        for name in ("APIHandler", "OnTimer", "Sweeper")
    }
    assert handlers == {"app.app", "app.on_timer", "app.sweeper"}
    for name in ("APIHandler", "OnTimer", "Sweeper"):
        code = props(resources, name, "AWS::Serverless::Function")["CodeUri"]
        assert code == "./deployment.zip"


@pytest.mark.parametrize("stage", STAGES)
def test_policy_is_least_privilege(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    statements = policy["Statement"]
    assert all(s["Effect"] == "Allow" for s in statements)
    for statement in statements:
        actions = _as_list(statement["Action"])
        assert "*" not in actions
        assert not any(action.endswith(":*") for action in actions), actions
        assert "NotAction" not in statement and "NotResource" not in statement

    def resources_for(service: str) -> list[str]:
        found = [
            resource
            for s in statements
            if any(a.startswith(f"{service}:") for a in _as_list(s["Action"]))
            for resource in _as_list(s["Resource"])
        ]
        assert found, service
        return found

    table = f"arn:aws:dynamodb:*:*:table/citizen-service-{stage}"
    assert set(resources_for("dynamodb")) == {table, f"{table}/index/*"}
    assert resources_for("sqs") == [f"arn:aws:sqs:*:*:citizen-service-{stage}-timers"]
    for resource in resources_for("logs"):
        assert f":log-group:/aws/lambda/citizen-service-{stage}" in resource
    granted = {a for s in statements for a in _as_list(s["Action"])}
    assert "dynamodb:TransactWriteItems" not in granted  # not an IAM action
    assert {"dynamodb:ConditionCheckItem", "sqs:SendMessage", "sns:Publish"} <= granted
    assert "dynamodb:Scan" not in granted
    parameter = f"arn:aws:ssm:*:*:parameter/citizen-service/{stage}/pseudonym-key"
    assert resources_for("ssm") == [parameter]
    assert granted & {a for a in granted if a.startswith("ssm:")} == {"ssm:GetParameter"}
    (decrypt,) = [s for s in statements if "kms:Decrypt" in _as_list(s["Action"])]
    assert _as_list(decrypt["Action"]) == ["kms:Decrypt"]
    # Any key, but only to decrypt the stage's own parameter, and only through SSM.
    assert decrypt["Condition"] == {
        "StringLike": {
            "kms:ViaService": "ssm.*.amazonaws.com",
            "kms:EncryptionContext:PARAMETER_ARN": parameter,
        }
    }
    # Every resource is the stage's own, or has no ARN to name (SES identities, SMS, X-Ray).
    own = (
        f"arn:aws:logs:*:*:log-group:/aws/lambda/citizen-service-{stage}",
        f"arn:aws:dynamodb:*:*:table/citizen-service-{stage}",
        f"arn:aws:sqs:*:*:citizen-service-{stage}-",
        parameter,
    )
    for statement in statements:
        for resource in _as_list(statement["Resource"]):
            if resource == "*" or resource.startswith("arn:aws:ses:"):
                assert statement["Sid"].startswith(("Sms", "XRay", "Email")), statement
            elif resource == "arn:aws:kms:*:*:key/*":
                assert statement is decrypt
            else:
                assert resource.startswith(own), resource


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_api_gateway_throttles_every_method_of_the_stage(resources):
    api = props(resources, "RestAPI", "AWS::Serverless::Api")

    [every] = api["MethodSettings"]
    assert (every["ResourcePath"], every["HttpMethod"]) == ("/*", "*")
    assert every["ThrottlingRateLimit"] > 0 and every["ThrottlingBurstLimit"] > 0

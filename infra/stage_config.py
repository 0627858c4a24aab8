"""Points a chalice stage at its foundation stack: writes the stack's outputs into the stage's
environment in .chalice/config.json, which both `chalice deploy` and `chalice package` read.

    python infra/stage_config.py <stage>                    # reads the stack with the AWS CLI
    python infra/stage_config.py <stage> --outputs FILE     # or a saved `describe-stacks` JSON
    python infra/stage_config.py <stage> --site-env         # COGNITO_* lines for the site build
    python infra/stage_config.py <stage> --output NAME      # one output (SiteBucketName, ...)

The foundation stack is citizen-service-<stage>-foundation (infra/foundation.json). Nothing
here changes AWS: it reads one stack and writes one file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".chalice" / "config.json"
AWS_STAGES = ("dev", "prod")
# Environment variable of the functions <- output of the foundation stack.
ENVIRONMENT = {
    "TABLE_NAME": "TableName",
    "TIMER_QUEUE_URL": "TimerQueueUrl",
    # app.py names on_timer's event source with it when chalice loads the app.
    "TIMER_QUEUE_NAME": "TimerQueueName",
    # chalicelib/api/auth.py turns the Cognito authorizer on with it, at the same moment.
    "USER_POOL_ARN": "UserPoolArn",
    "PUBLIC_URL": "SiteUrl",
    "PSEUDONYM_KEY_PARAMETER": "PseudonymKeyParameterName",
    "ORIGIN_SECRET_PARAMETER": "OriginSecretParameterName",
    "SENDER_EMAIL": "SenderEmail",
}
# frontend/build.py: the console signs agents in through the hosted login.
SITE_ENVIRONMENT = {"COGNITO_DOMAIN": "HostedLoginUrl", "COGNITO_CLIENT_ID": "ConsoleClientId"}
NO_SENDER = "-"  # a stack output cannot be empty


class StageConfigError(SystemExit):
    pass


def stack_name(stage: str) -> str:
    return f"citizen-service-{stage}-foundation"


def describe_stack(stage: str) -> dict[str, Any]:
    """`aws cloudformation describe-stacks` for the stage's foundation stack."""
    command = ["aws", "cloudformation", "describe-stacks", "--stack-name", stack_name(stage)]
    try:
        result = subprocess.run(
            [*command, "--output", "json"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise StageConfigError("stage_config: the AWS CLI (aws) is not on the PATH") from None
    if result.returncode != 0:
        raise StageConfigError(f"stage_config: {' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def outputs_of(described: dict[str, Any], stage: str) -> dict[str, str]:
    stacks = described.get("Stacks") or []
    if len(stacks) != 1:
        raise StageConfigError(f"stage_config: expected one stack, got {len(stacks)}")
    stack = stacks[0]
    if not stack.get("StackStatus", "").endswith(("CREATE_COMPLETE", "UPDATE_COMPLETE")):
        raise StageConfigError(
            f"stage_config: {stack.get('StackName')} is {stack.get('StackStatus')}, not deployed"
        )
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    if outputs.get("Stage") != stage:
        raise StageConfigError(
            f"stage_config: {stack.get('StackName')} serves stage {outputs.get('Stage')!r},"
            f" not {stage!r}"
        )
    wanted = set(ENVIRONMENT.values()) | set(SITE_ENVIRONMENT.values())
    missing = sorted(wanted - set(outputs))
    if missing:
        raise StageConfigError(f"stage_config: the stack has no output {', '.join(missing)}")
    return outputs


def stage_environment(outputs: dict[str, str]) -> dict[str, str]:
    """The functions' environment that comes from the foundation stack."""
    environment = {name: outputs[output] for name, output in ENVIRONMENT.items()}
    if environment["SENDER_EMAIL"] == NO_SENDER:
        del environment["SENDER_EMAIL"]
    return environment


def write_config(config_path: Path, stage: str, outputs: dict[str, str]) -> dict[str, str]:
    """Writes the stage's environment into config.json; returns it. Keeps everything else."""
    config = json.loads(config_path.read_text("utf-8"))
    variables = config["stages"][stage].setdefault("environment_variables", {})
    for name in ENVIRONMENT:
        variables.pop(name, None)
    # The key is read from SSM (chalicelib/config.py): never a plain variable.
    variables.pop("PSEUDONYM_KEY", None)
    variables.update(stage_environment(outputs))
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return variables


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=AWS_STAGES)
    parser.add_argument("--outputs", type=Path, help="a saved describe-stacks JSON")
    parser.add_argument("--config", type=Path, default=CONFIG, help="the chalice config.json")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--site-env", action="store_true", help="print COGNITO_* for the site")
    shown.add_argument("--output", help="print one output of the stack and change nothing")
    args = parser.parse_args(argv)

    described = (
        json.loads(args.outputs.read_text("utf-8")) if args.outputs else describe_stack(args.stage)
    )
    outputs = outputs_of(described, args.stage)
    if args.output:
        if args.output not in outputs:
            raise StageConfigError(f"stage_config: the stack has no output {args.output}")
        print(outputs[args.output])
    elif args.site_env:
        for name, output in SITE_ENVIRONMENT.items():
            print(f"{name}={outputs[output]}")
    else:
        written = write_config(args.config, args.stage, outputs)
        print(f"stage {args.stage} in {args.config}:", file=sys.stderr)
        for name in sorted(written):
            print(f"  {name}={written[name]}", file=sys.stderr)


if __name__ == "__main__":
    main()

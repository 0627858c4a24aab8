#!/usr/bin/env bash
# Builds the one CloudFormation template (sam.json) and the Lambda zip (deployment.zip) for a stage,
# then lints the template. Needs no AWS credentials and no AWS API; pip fetches the
# requirements.txt wheels (manylinux) from PyPI unless chalice has them cached.
#
#   infra/package.sh [stage=prod] [out-dir=build/package]
#
# Deploy the result as the stack "citizen-service-<stage>" (see docs/deploy.md): the resources
# in infra/resources.json are named after the stack, .chalice/policy-<stage>.json after the stage.
set -euo pipefail

stage="${1:-prod}"
out="${2:-build/package}"
root="$(cd "$(dirname "$0")/.." && pwd)"
# A relative out-dir is taken from the project root, wherever the script is run from.
case "$out" in /*) ;; *) out="$root/$out" ;; esac

cd "$root"

# chalice only needs a region to build the template; it makes no AWS call.
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-central-1}"
# The Cognito authorizer exists only when USER_POOL_ARN is set (chalicelib/api/auth.py); the
# merge template then points it at the stack's own user pool, so this placeholder never ships.
export USER_POOL_ARN="${USER_POOL_ARN:-arn:aws:cognito-idp:eu-central-1:000000000000:userpool/eu-central-1_placeholder}"
# app.py names the on_timer event source's queue from TIMER_QUEUE_NAME at import; the merge
# template replaces that queue ARN with the stack's own queue, so the value only matters to
# `chalice deploy`. Set it to the stage's queue so both ways agree.
export TIMER_QUEUE_NAME="${TIMER_QUEUE_NAME:-citizen-service-${stage}-timers}"

chalice package --stage "$stage" --merge-template infra/resources.json "$out"

# Drops what the functions never load from deployment.zip, adds bytecode that stays valid in
# a zip dated 1980, and checks the result imports and works (see infra/prune_package.py).
python infra/prune_package.py "$out"

# No rule is ignored: the merged template must lint clean, warnings included.
cfn-lint --regions "$AWS_DEFAULT_REGION" -- "$out/sam.json"

echo "packaged stage $stage into $out (sam.json, deployment.zip)"

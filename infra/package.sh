#!/usr/bin/env bash
# Builds the functions' CloudFormation template (sam.json) and the Lambda zip (deployment.zip)
# for a stage, then lints the template. Needs no AWS credentials and no AWS API; pip fetches the
# requirements.txt wheels (manylinux) from PyPI unless chalice has them cached.
#
#   infra/package.sh [stage=prod] [out-dir=build/package]
#
# Deploy the result as the stack "citizen-service-<stage>" (see docs/deploy.md). It holds the
# functions, the API and their roles only: the table, queues, user pool and site belong to the
# foundation stack (infra/foundation.json), whose outputs `infra/stage_config.py <stage>` wrote
# into the stage's environment in .chalice/config.json. chalice puts that environment in
# os.environ before it imports app.py, so USER_POOL_ARN (the Cognito authorizer) and
# TIMER_QUEUE_NAME (on_timer's queue) come from there too, as with `chalice deploy`.
set -euo pipefail

stage="${1:-prod}"
out="${2:-build/package}"
root="$(cd "$(dirname "$0")/.." && pwd)"
# A relative out-dir is taken from the project root, wherever the script is run from.
case "$out" in /*) ;; *) out="$root/$out" ;; esac

cd "$root"

# chalice only needs a region to build the template; it makes no AWS call.
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-central-1}"
# The committed config.json carries placeholders (account 000000000000) until the stage is
# pointed at its foundation stack; packaging them is fine (tests do), deploying them is not.
if python - "$stage" <<'PY'
import json, sys
stage = json.load(open(".chalice/config.json"))["stages"][sys.argv[1]]
values = stage.get("environment_variables", {}).values()
sys.exit(0 if any("000000000000" in v or "placeholder" in v for v in values) else 1)
PY
then
  echo "note: stage $stage has placeholder values in .chalice/config.json:" \
       "run infra/stage_config.py $stage before deploying this package" >&2
fi

chalice package --stage "$stage" --merge-template infra/resources.json "$out"

# Drops what the functions never load from deployment.zip, adds bytecode that stays valid in
# a zip dated 1980, and checks the result imports and works (see infra/prune_package.py).
python infra/prune_package.py "$out"

# No rule is ignored: the merged template must lint clean, warnings included.
cfn-lint --regions "$AWS_DEFAULT_REGION" -- "$out/sam.json"

echo "packaged stage $stage into $out (sam.json, deployment.zip)"

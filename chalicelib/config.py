"""Settings from the environment, in one place.

Fails closed: a deployment that forgot its stage, or an AWS stage without its own pseudonym
key, refuses to start rather than run with the local stage's open doors (dev tokens, the
public default key).

The pseudonym key is a secret: in the AWS stages it lives in SSM Parameter Store as a
SecureString, and the environment only names it (``PSEUDONYM_KEY_PARAMETER``). It is read
once, when the settings are built (``chalicelib.bootstrap`` keeps them for the container's
life), never from a plain environment variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.domain.limits import Limits

STAGES = ("local", "dev", "prod")
LOCAL_PSEUDONYM_KEY = "local-development-pseudonyms"
LOCAL_JWT_SECRET = "local-development-only-never-in-production"
# The local stage's supervisors' mailbox (the outbox view shows what it would receive).
LOCAL_SUPERVISORS = "supervisors@citizen-service.local"
# `openssl rand -hex 32` gives 64; anything shorter than 32 characters is not a key.
PSEUDONYM_KEY_MIN_LENGTH = 32
# The key never changes (old pseudonyms must keep matching): one read per cold start.
SECRET_MAX_AGE_SECONDS = 24 * 3600


class ConfigurationError(RuntimeError):
    """The environment does not describe a stage the platform can run as."""


ORIGIN_SECRET_MIN_LENGTH = 24


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    store: str = "sqlite"  # sqlite | dynamodb
    sqlite_path: str = "var/citizen-service.db"
    table_name: str = "citizen-service"
    dynamodb_endpoint: str | None = None  # a moto server for the local DynamoDB mode
    timer_queue_url: str | None = None  # SQS in AWS; None means the local timer table
    public_url: str = "http://127.0.0.1:8000"
    # Local stage only: dev tokens are signed with this; AWS stages use the Cognito authorizer.
    jwt_secret: str = LOCAL_JWT_SECRET
    user_pool_arn: str | None = None
    sender_email: str | None = None  # SES sender; None keeps messages in the outbox
    pseudonym_key: str = LOCAL_PSEUDONYM_KEY
    # What CloudFront sends as X-Origin-Verify: a request carrying it may be trusted for the
    # viewer's address (X-Viewer-Address); None: API Gateway's sourceIp is the client address.
    origin_secret: str | None = None
    # Finished cases and bookings are anonymised this many days after they finish.
    retention_days: int = 400
    # Who hears of a citizen's chase: team -> address, "*" for every other team.
    supervisor_emails: tuple[tuple[str, str], ...] = (("*", LOCAL_SUPERVISORS),)
    limits: Limits = field(default_factory=Limits)

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def fetch_secure_parameter(name: str) -> str:
    """The decrypted value of an SSM SecureString parameter (powertools caches it)."""
    # Imported here: the local stage never loads boto3 for its settings.
    from aws_lambda_powertools.utilities.parameters import get_parameter

    return get_parameter(name, decrypt=True, max_age=SECRET_MAX_AGE_SECONDS)


def settings_from_env(
    env: Mapping[str, str] | None = None,
    fetch_secret: Callable[[str], str] = fetch_secure_parameter,
) -> Settings:
    env = os.environ if env is None else env
    stage = env.get("STAGE", "")
    if stage not in STAGES:
        raise ConfigurationError(f"STAGE must be one of {', '.join(STAGES)}, not {stage!r}")
    store = env.get("STORE", "sqlite")
    if store not in ("sqlite", "dynamodb"):
        raise ConfigurationError(f"STORE must be sqlite or dynamodb, not {store!r}")
    if stage == "local":
        pseudonym_key = env.get("PSEUDONYM_KEY") or LOCAL_PSEUDONYM_KEY
    else:
        pseudonym_key = aws_pseudonym_key(stage, env, fetch_secret)
    return Settings(
        stage=stage,
        store=store,
        sqlite_path=env.get("SQLITE_PATH", "var/citizen-service.db"),
        table_name=env.get("TABLE_NAME", "citizen-service"),
        dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
        timer_queue_url=env.get("TIMER_QUEUE_URL") or None,
        public_url=env.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        jwt_secret=env.get("JWT_SECRET", LOCAL_JWT_SECRET),
        user_pool_arn=env.get("USER_POOL_ARN") or None,
        sender_email=env.get("SENDER_EMAIL") or None,
        pseudonym_key=pseudonym_key,
        origin_secret=origin_secret(stage, env, fetch_secret),
        retention_days=retention_days(env),
        supervisor_emails=supervisor_emails(
            env.get("SUPERVISOR_EMAILS", LOCAL_SUPERVISORS if stage == "local" else "")
        ),
        limits=limits_from_env(env),
    )


def origin_secret(
    stage: str, env: Mapping[str, str], fetch_secret: Callable[[str], str]
) -> str | None:
    """The secret CloudFront proves itself with, from the SecureString ORIGIN_SECRET_PARAMETER
    names (AWS stages), or ORIGIN_SECRET (the local stage's tests); none: trust no header."""
    if stage == "local":
        return env.get("ORIGIN_SECRET") or None
    name = env.get("ORIGIN_SECRET_PARAMETER") or ""
    if not name:
        return None
    return read_secret(
        fetch_secret, name, ORIGIN_SECRET_MIN_LENGTH, f"stage {stage}'s origin secret"
    )


def read_secret(fetch_secret: Callable[[str], str], name: str, min_length: int, what: str) -> str:
    """The SSM SecureString ``name``; unreadable (not found, no access, no network) or too
    short, the deploy missed a step: say which."""
    try:
        secret = fetch_secret(name)
    except Exception as error:
        raise ConfigurationError(
            f"cannot read {what} from SSM parameter {name}: {error}"
        ) from error
    if not isinstance(secret, str) or len(secret) < min_length:
        raise ConfigurationError(f"SSM parameter {name} must hold at least {min_length} characters")
    return secret


def retention_days(env: Mapping[str, str]) -> int:
    raw = env.get("RETENTION_DAYS", "400")
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise ConfigurationError(f"RETENTION_DAYS must be a whole number of days, 1-3650: {raw!r}")
    return int(raw)


def supervisor_emails(text: str) -> tuple[tuple[str, str], ...]:
    """``"efka-support=efka-sup@example.gov.gr,*=ops@example.gov.gr"`` (a bare address is
    ``*=address``); empty: no one is written to, the console still lists chased cases."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        team, _, address = part.rpartition("=")
        if "@" not in address or address.startswith("@") or "=" in team:
            raise ConfigurationError(f"SUPERVISOR_EMAILS: {part!r} is not team=address")
        pairs.append((team.strip() or "*", address.strip()))
    return tuple(pairs)


# Environment variable -> (Limits field, unit): counts, or window lengths in seconds.
LIMIT_VARIABLES = {
    "RATE_LIMIT_PER_ADDRESS": ("writes_per_address", None),
    "RATE_LIMIT_ADDRESS_WINDOW_SECONDS": ("address_window", timedelta(seconds=1)),
    "RATE_LIMIT_PER_IDENTIFIER": ("writes_per_identifier", None),
    "RATE_LIMIT_IDENTIFIER_WINDOW_SECONDS": ("identifier_window", timedelta(seconds=1)),
    "MAX_ACTIVE_APPOINTMENTS": ("active_appointments", None),
}


def limits_from_env(env: Mapping[str, str]) -> Limits:
    """The abuse limits (docs/security.md); each a whole number of at least 1."""
    given: dict[str, object] = {}
    for variable, (name, unit) in LIMIT_VARIABLES.items():
        raw = env.get(variable)
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise ConfigurationError(f"{variable} must be a whole number >= 1, not {raw!r}")
        given[name] = int(raw) * unit if unit else int(raw)
    return Limits(**given)  # type: ignore[arg-type]


def aws_pseudonym_key(
    stage: str, env: Mapping[str, str], fetch_secret: Callable[[str], str]
) -> str:
    """The stage's own key, from the SecureString that PSEUDONYM_KEY_PARAMETER names."""
    if env.get("PSEUDONYM_KEY"):
        # A secret in the function's configuration is readable by whoever reads the function.
        raise ConfigurationError(
            f"stage {stage} takes its pseudonym key from SSM (PSEUDONYM_KEY_PARAMETER),"
            " not from a plain PSEUDONYM_KEY"
        )
    name = env.get("PSEUDONYM_KEY_PARAMETER") or ""
    if not name.startswith("/"):
        raise ConfigurationError(
            f"stage {stage} needs PSEUDONYM_KEY_PARAMETER, the SSM parameter holding its"
            f" pseudonym key (a name like /citizen-service/{stage}/pseudonym-key), not {name!r}"
        )
    key = read_secret(
        fetch_secret, name, PSEUDONYM_KEY_MIN_LENGTH, f"stage {stage}'s pseudonym key"
    )
    if key == LOCAL_PSEUDONYM_KEY:
        raise ConfigurationError(f"stage {stage} needs its own pseudonym key, not the local one")
    return key

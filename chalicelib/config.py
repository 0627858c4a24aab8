"""Settings from the environment, in one place.

Fails closed: a deployment that forgot its stage, or an AWS stage without its own pseudonym
key, refuses to start rather than run with the local stage's open doors (dev tokens, the
public default key).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

STAGES = ("local", "dev", "prod")
LOCAL_PSEUDONYM_KEY = "local-development-pseudonyms"
LOCAL_JWT_SECRET = "local-development-only-never-in-production"


class ConfigurationError(RuntimeError):
    """The environment does not describe a stage the platform can run as."""


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

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    stage = env.get("STAGE", "")
    if stage not in STAGES:
        raise ConfigurationError(f"STAGE must be one of {', '.join(STAGES)}, not {stage!r}")
    pseudonym_key = env.get("PSEUDONYM_KEY") or ""
    if stage != "local" and pseudonym_key in ("", LOCAL_PSEUDONYM_KEY):
        raise ConfigurationError(f"stage {stage} needs its own PSEUDONYM_KEY")
    store = env.get("STORE", "sqlite")
    if store not in ("sqlite", "dynamodb"):
        raise ConfigurationError(f"STORE must be sqlite or dynamodb, not {store!r}")
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
        pseudonym_key=pseudonym_key or LOCAL_PSEUDONYM_KEY,
    )

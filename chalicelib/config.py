"""Settings from the environment, in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


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
    jwt_secret: str = "local-development-only-never-in-production"
    user_pool_arn: str | None = None
    sender_email: str | None = None  # SES sender; None keeps messages in the outbox
    pseudonym_key: str = "local-development-pseudonyms"

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    return Settings(
        stage=env.get("STAGE", "local"),
        store=env.get("STORE", "sqlite"),
        sqlite_path=env.get("SQLITE_PATH", "var/citizen-service.db"),
        table_name=env.get("TABLE_NAME", "citizen-service"),
        dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
        timer_queue_url=env.get("TIMER_QUEUE_URL") or None,
        public_url=env.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        jwt_secret=env.get("JWT_SECRET", "local-development-only-never-in-production"),
        user_pool_arn=env.get("USER_POOL_ARN") or None,
        sender_email=env.get("SENDER_EMAIL") or None,
        pseudonym_key=env.get("PSEUDONYM_KEY", "local-development-pseudonyms"),
    )

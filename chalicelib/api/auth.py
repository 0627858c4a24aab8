"""Who is calling: an agent from a bearer token.

In AWS the API Gateway Cognito authorizer has already checked the token and
passes its claims; on the local stage the app checks dev tokens it signed itself.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice import CognitoUserPoolAuthorizer
from chalice.app import Request

from chalicelib.api.problems import Problem
from chalicelib.config import Settings
from chalicelib.domain.directory import Agent, Role


def dev_token(
    agent: Agent,
    secret: str,
    now: datetime | None = None,
    lifetime: timedelta = timedelta(hours=12),
) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": agent.id,
        "name": agent.name,
        "roles": sorted(agent.roles),
        "teams": sorted(agent.teams),
        "branches": sorted(agent.branches),
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    import jwt  # dev tokens exist on the local stage only: not imported in Lambda

    return jwt.encode(claims, secret, algorithm="HS256")


def _split(value: Any) -> list[str]:
    """Claims arrive as lists (dev tokens) or as strings: API Gateway passes Cognito groups
    as "[agent supervisor]" or "agent,supervisor"."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in re.split(r"[,\s]+", str(value or "").strip("[]")) if v]


def agent_from_claims(claims: dict[str, Any]) -> Agent:
    """Dev tokens carry roles/teams/branches; Cognito's carry groups and custom attributes."""
    known = {role.value for role in Role}
    roles = _split(claims.get("roles") or claims.get("cognito:groups"))
    return Agent(
        id=str(claims.get("cognito:username") or claims.get("sub", "")),
        name=str(claims.get("name", "")),
        roles=frozenset(Role(r) for r in roles if r in known),
        teams=frozenset(_split(claims.get("teams") or claims.get("custom:teams"))),
        branches=frozenset(_split(claims.get("branches") or claims.get("custom:branches"))),
    )


def current_agent(request: Request, settings: Settings) -> Agent:
    if not settings.is_local:
        claims = ((request.context or {}).get("authorizer") or {}).get("claims")
        if not claims:
            raise Problem(401, "unauthorized")
        agent = agent_from_claims(claims)
    else:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Problem(401, "unauthorized")
        import jwt  # the local stage only: in Lambda the authorizer checked the token

        try:
            claims = jwt.decode(token, settings.jwt_secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            raise Problem(401, "unauthorized") from None
        agent = agent_from_claims(claims)
    if not agent.roles:
        raise Problem(403, "forbidden")
    return agent


def _agent_authorizer() -> CognitoUserPoolAuthorizer | None:
    # Set when packaging or deploying to AWS; the local stage checks its dev tokens itself.
    arn = os.environ.get("USER_POOL_ARN")
    return CognitoUserPoolAuthorizer("AgentPool", provider_arns=[arn]) if arn else None


AGENT_AUTHORIZER = _agent_authorizer()
# Route options for agent routes: the Cognito authorizer in AWS, nothing locally.
AGENT_ROUTE: dict[str, Any] = {"authorizer": AGENT_AUTHORIZER} if AGENT_AUTHORIZER else {}

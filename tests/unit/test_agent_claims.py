"""Who the caller is, from the claims of a dev token or of Cognito."""

import pytest

from chalicelib.api.auth import agent_from_claims
from chalicelib.domain.directory import Role


@pytest.mark.parametrize(
    "groups", ["[agent supervisor]", "agent,supervisor", ["agent", "supervisor"]]
)
def test_cognito_groups_become_roles_however_api_gateway_spells_them(groups):
    claims = {
        "cognito:username": "sofia",
        "cognito:groups": groups,
        "custom:teams": "first-line,efka-support",
    }

    agent = agent_from_claims(claims)

    assert agent.id == "sofia"
    assert agent.roles == {Role.AGENT, Role.SUPERVISOR}
    assert agent.teams == {"first-line", "efka-support"}


def test_unknown_groups_give_no_role():
    agent = agent_from_claims({"sub": "x", "cognito:groups": "[citizens]"})

    assert agent.roles == frozenset()

"""`make token USER=maria`: prints a dev JWT for a demo user of the local stage."""

from __future__ import annotations

import sys

from chalicelib.api.auth import dev_token
from chalicelib.config import settings_from_env
from chalicelib.directory_data import load_directory


def main() -> None:
    user = sys.argv[1] if len(sys.argv) > 1 else ""
    agents = load_directory().agents
    if user not in agents:
        sys.exit(f"unknown user {user!r}; demo users: {', '.join(sorted(agents))}")
    print(dev_token(agents[user], settings_from_env().jwt_secret))


if __name__ == "__main__":
    main()

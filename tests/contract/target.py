"""Where the contract suite sends its probes: the bundled emulator (always, in CI) or api.x.com (only when a
maintainer sets credentials; never in CI).

Environment of the live target:
``X_CONTRACT_API_KEY``, ``X_CONTRACT_API_KEY_SECRET``, ``X_CONTRACT_ACCESS_TOKEN``, ``X_CONTRACT_ACCESS_TOKEN_SECRET``
(OAuth 1.0a of a test account), ``X_CONTRACT_BASE_URL`` (default https://api.x.com), ``X_CONTRACT_ALLOW_POSTS=1`` to
run probes that would create a post if X accepted the request, ``X_CONTRACT_RECORD=1`` to rewrite the snapshots
with X's answers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import requests
from requests_oauthlib import OAuth1

CREDENTIAL_VARS = (
    "X_CONTRACT_API_KEY",
    "X_CONTRACT_API_KEY_SECRET",
    "X_CONTRACT_ACCESS_TOKEN",
    "X_CONTRACT_ACCESS_TOKEN_SECRET",
)


def live_credentials() -> tuple[str, str, str, str] | None:
    """The live target's credentials, or None: unset, partly set, or running in CI (never probe X from CI)."""
    values = tuple(os.environ.get(name, "") for name in CREDENTIAL_VARS)
    if os.environ.get("CI") or not all(values):
        return None
    return values[0], values[1], values[2], values[3]


@dataclass
class Target:
    """A base URL with signed requests; ``admin_url`` is set for the emulator, whose state probes may arrange."""

    name: str
    base_url: str
    auth: OAuth1
    admin_url: str | None = None
    allow_posts: bool = False
    record: bool = False

    @property
    def is_emulator(self) -> bool:
        return self.admin_url is not None

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.get(self.base_url + path, auth=self.auth, timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(self.base_url + path, auth=self.auth, timeout=30, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.delete(self.base_url + path, auth=self.auth, timeout=30, **kwargs)

    def arrange(self, path: str, body: Any) -> None:
        """Put the emulator in a state (billing, limits) through its admin API."""
        assert self.admin_url is not None, "only the emulator can be arranged"
        requests.post(f"{self.admin_url}/{path}", json=body, timeout=10).raise_for_status()

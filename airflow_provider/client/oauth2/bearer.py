"""``requests`` auth for OAuth 2.0 user tokens: a current Bearer token on every request, and one more try after a
401 when another process rotated the token meanwhile (X may revoke the earlier access token at a refresh)."""

from __future__ import annotations

from typing import Any

import requests
from requests.auth import AuthBase

from airflow_provider.client.oauth2.rotation import TokenManager


class BearerAuth(AuthBase):
    def __init__(self, tokens: TokenManager) -> None:
        self.tokens = tokens

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.tokens.access_token()}"
        request.register_hook("response", self._after_401)
        return request

    def _after_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """Resend once with the rotated token, as ``requests``' digest auth resends after its 401: through the
        adapter, which runs no response hooks, so the resent request is not retried again."""
        sent = response.request
        if response.status_code != 401:
            return response
        used = str(sent.headers.get("Authorization", "")).removeprefix("Bearer ")
        token = self.tokens.after_unauthorized(used)
        if token is None:
            return response
        response.content  # noqa: B018 - read the body so that the connection can be reused
        response.close()
        again = sent.copy()
        body: Any = again.body
        if hasattr(body, "seek"):
            body.seek(0)  # a streamed upload body is sent again from its start
        again.headers["Authorization"] = f"Bearer {token}"
        retried = response.connection.send(again, **kwargs)
        retried.history.append(response)
        retried.request = again
        return retried

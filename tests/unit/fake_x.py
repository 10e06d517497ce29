"""A fake X at the transport level: every ``requests`` call is answered from a script, and recorded."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]] | BaseException


class FakeX:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = defaultdict(list)
        self.requests: list[requests.PreparedRequest] = []
        self._lock = threading.Lock()  # parallel APPENDs call send() from several threads

    def on(self, method: str, path: str, *replies: Reply) -> FakeX:
        """Answer ``method path`` with each reply in turn; the last one repeats."""
        self.routes[(method, path)].extend(replies)
        return self

    def sent(self, method: str | None = None, path: str | None = None) -> list[requests.PreparedRequest]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and (path is None or urlsplit(r.url or "").path == path)
        ]

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body: Any = request.body
        if hasattr(body, "read"):  # a streamed body: read it as a server would
            request.body = body.read()
        key = (request.method or "", urlsplit(request.url or "").path)
        with self._lock:
            self.requests.append(request)
            replies = self.routes.get(key)
            if not replies:
                raise AssertionError(f"unexpected request {key}")
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, BaseException):
            raise reply
        status, body, *rest = reply
        response = requests.Response()
        response.status_code = status
        response.reason = {200: "OK", 201: "Created"}.get(status, "Error")
        response._content = (
            b"" if body is None else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        )
        response.headers = CaseInsensitiveDict(rest[0] if rest else {"content-type": "application/json"})
        response.url = request.url or ""
        response.request = request
        return response


def query(request: requests.PreparedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url or "").query)


def oauth_params(request: requests.PreparedRequest) -> dict[str, str]:
    header = request.headers["Authorization"]
    header = header.decode() if isinstance(header, bytes) else header
    assert header.startswith("OAuth ")
    pairs = (p.strip().split("=", 1) for p in header[len("OAuth ") :].split(","))
    return {k: v.strip('"') for k, v in pairs}

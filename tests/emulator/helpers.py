"""Test helpers: a controllable clock, a signed X client and media payloads that pass (or fail) sniffing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
from requests_oauthlib import OAuth1

from airflow_provider.emulator import EmulatorConfig, EmulatorServer

MIB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4) + (480).to_bytes(4)
GIF_HEAD = b"GIF89a\x01\x00\x01\x00"


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def media_bytes(head: bytes, size: int) -> bytes:
    """``size`` bytes starting with ``head`` (a file signature), varied so that distinct chunks hash apart."""
    body = bytes(range(256)) * (size // 256 + 1)
    return (head + body)[:size]


def mp4_lasting(seconds: float, size: int = 4000) -> bytes:
    """An MP4 whose movie header (``mvhd`` v0, timescale 1000) says it lasts ``seconds``, padded to ``size``."""
    mvhd = b"\x00" * 12 + (1000).to_bytes(4) + round(seconds * 1000).to_bytes(4) + b"\x00" * 80
    moov = (8 + 8 + len(mvhd)).to_bytes(4) + b"moov" + (8 + len(mvhd)).to_bytes(4) + b"mvhd" + mvhd
    return media_bytes(MP4_HEAD + moov, size)


def oauth1(config: EmulatorConfig | None = None, overrides: dict[str, str] | None = None) -> OAuth1:
    """requests-oauthlib signing with the emulator's credentials; ``overrides`` tweak secrets, nonce, timestamp."""
    config = config or EmulatorConfig()
    options: dict[str, Any] = {
        "client_key": config.api_key,
        "client_secret": config.api_key_secret,
        "resource_owner_key": config.access_token,
        "resource_owner_secret": config.access_token_secret,
    }
    options.update(overrides or {})
    return OAuth1(**options)


class XClient:
    """A signed ``requests`` session bound to an emulator's base URL, with the chunked-upload dance."""

    def __init__(self, base_url: str, config: EmulatorConfig | None = None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.auth = oauth1(config)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.base_url + path, timeout=10, **kwargs)

    def admin(self, path: str) -> Any:
        response = requests.get(f"{self.base_url}/_emulator/{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def set_faults(self, *faults: dict[str, Any]) -> dict[str, Any]:
        response = requests.post(f"{self.base_url}/_emulator/faults", json={"faults": list(faults)}, timeout=10)
        response.raise_for_status()
        return response.json()

    def initialize(self, data: bytes, media_type: str, category: str) -> str:
        body = {"media_type": media_type, "total_bytes": len(data), "media_category": category}
        response = self.post("/2/media/upload/initialize", json=body)
        assert response.status_code == 200, response.text
        return str(response.json()["data"]["id"])

    def append(self, media_id: str, index: int, chunk: bytes) -> requests.Response:
        return self.post(
            f"/2/media/upload/{media_id}/append", data={"segment_index": str(index)}, files={"media": chunk}
        )

    def finalize(self, media_id: str) -> requests.Response:
        return self.post(f"/2/media/upload/{media_id}/finalize")

    def status(self, media_id: str) -> requests.Response:
        return self.get("/2/media/upload", params={"media_id": media_id, "command": "STATUS"})

    def upload(self, data: bytes, media_type: str, category: str, chunk_size: int = MIB) -> str:
        """INITIALIZE, APPEND every chunk and FINALIZE; returns the media id."""
        media_id = self.initialize(data, media_type, category)
        for index, start in enumerate(range(0, len(data), chunk_size)):
            response = self.append(media_id, index, data[start : start + chunk_size])
            assert response.status_code == 200, response.text
        response = self.finalize(media_id)
        assert response.status_code == 200, response.text
        return media_id

    def tweet(self, text: str, media_ids: list[str] | None = None) -> requests.Response:
        body: dict[str, Any] = {"text": text}
        if media_ids is not None:
            body["media"] = {"media_ids": media_ids}
        return self.post("/2/tweets", json=body)


MakeEmulator = Callable[..., tuple[EmulatorServer, FakeClock, XClient]]


def error_messages(response: requests.Response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def last_reason(client: XClient) -> str:
    """Why the emulator refused the latest request (its request log; X's answer does not say)."""
    return str(client.admin("requests")[-1]["reason"])

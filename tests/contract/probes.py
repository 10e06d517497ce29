"""One probe per rule: a request whose answer's shape X and the emulator must agree on.

Probes are safe on a real account: they upload at most one 1x1 PNG and read. A probe marked ``posts`` would create
a post if X accepted the request (it is not meant to), so it runs on X only with ``X_CONTRACT_ALLOW_POSTS=1``. A
probe marked ``emulator_only`` needs a state a real account cannot be put in on purpose (no credits, usage cap,
spent rate limit); its snapshot comes from X's answers seen in the sources it names.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import requests

from tests.contract.target import Target


def _png_1x1() -> bytes:
    """A valid 1x1 PNG, small enough to cost nothing and real enough for X to accept."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png_1x1()


def _initialize(target: Target) -> str:
    body = {"media_type": "image/png", "total_bytes": len(PNG), "media_category": "tweet_image"}
    response = target.post("/2/media/upload/initialize", json=body)
    response.raise_for_status()
    return str(response.json()["data"]["id"])


def _uploaded_image(target: Target) -> str:
    media_id = _initialize(target)
    target.post(
        f"/2/media/upload/{media_id}/append", data={"segment_index": "0"}, files={"media": PNG}
    ).raise_for_status()
    return media_id


def finalize_image(target: Target) -> requests.Response:
    media_id = _initialize(target)
    target.post(
        f"/2/media/upload/{media_id}/append", data={"segment_index": "0"}, files={"media": PNG}
    ).raise_for_status()
    return target.post(f"/2/media/upload/{media_id}/finalize")


def status_of_image(target: Target) -> requests.Response:
    media_id = _uploaded_image(target)
    target.post(f"/2/media/upload/{media_id}/finalize").raise_for_status()
    return target.get("/2/media/upload", params={"command": "STATUS", "media_id": media_id})


def initialize_unknown_field(target: Target) -> requests.Response:
    body = {"media_type": "image/png", "total_bytes": len(PNG), "media_category": "tweet_image", "command": "INIT"}
    return target.post("/2/media/upload/initialize", json=body)


def users_me(target: Target) -> requests.Response:
    return target.get("/2/users/me")


def unknown_post(target: Target) -> requests.Response:
    return target.get("/2/tweets/1")


def delete_unknown_post(target: Target) -> requests.Response:
    """What X answers for a post that is not there (never made, or deleted before): undocumented. Safe on a real
    account: post 1 does not exist, and is no one's to delete."""
    return target.delete("/2/tweets/1")


def post_with_top_level_media_ids(target: Target) -> requests.Response:
    return target.post("/2/tweets", json={"text": "contract probe: must be refused", "media_ids": ["1"]})


def post_form_encoded(target: Target) -> requests.Response:
    return target.post("/2/tweets", data={"text": "contract probe: must be refused"})


def post_too_long(target: Target) -> requests.Response:
    return target.post("/2/tweets", json={"text": "contract probe " + "x" * 280})


def out_of_credits(target: Target) -> requests.Response:
    target.arrange("billing", {"out_of_credits": True})
    return target.post("/2/tweets", json={"text": "contract probe"})


def usage_capped(target: Target) -> requests.Response:
    target.arrange("billing", {"usage_capped": True})
    return target.get("/2/users/me")


def rate_limited(target: Target) -> requests.Response:
    target.arrange("rate-limits", {"users_me": {"window": 0}})
    return target.get("/2/users/me")


def duplicate_post(target: Target) -> requests.Response:
    target.post("/2/tweets", json={"text": "contract probe: duplicate"})
    return target.post("/2/tweets", json={"text": "contract probe: duplicate"})


@dataclass(frozen=True)
class Probe:
    run: Callable[[Target], requests.Response]
    posts: bool = False
    emulator_only: bool = False

    @property
    def name(self) -> str:
        return self.run.__name__


PROBES = (
    Probe(finalize_image),
    Probe(status_of_image),
    Probe(initialize_unknown_field),
    Probe(users_me),
    Probe(unknown_post),
    Probe(delete_unknown_post),
    Probe(post_with_top_level_media_ids, posts=True),
    Probe(post_form_encoded, posts=True),
    Probe(post_too_long, posts=True),
    Probe(duplicate_post, posts=True),
    Probe(out_of_credits, emulator_only=True),
    Probe(usage_capped, emulator_only=True),
    Probe(rate_limited, emulator_only=True),
)

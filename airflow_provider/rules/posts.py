"""A post as tasks hand it on: its id (alone, in a post's output, or a thread's list), and where a person views it.

Sources: ``PostId`` is ``^[0-9]{1,19}$`` (OAS 2.167, the path parameter of ``GET`` and ``DELETE /2/tweets/{id}``).
X's own documents link a post by id alone as ``https://x.com/i/web/status/<id>`` (DOCS
x-api/enterprise-gnip-2.0/fundamentals/data-dictionary.mdx, ``expanded_url``), which needs no username and so no
request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from airflow_provider.exceptions import TwitterInputError

POST_ID = re.compile(r"^[0-9]{1,19}$")
X_WEB_URL = "https://x.com"
# The API hosts whose posts are viewed on x.com; any other base URL (the emulator) serves the page itself.
X_API_HOSTS = frozenset({"api.x.com", "api.twitter.com"})


def post_url(post_id: str, api_base_url: str | None = None) -> str:
    """Where a person views post ``post_id``: on x.com for X's API, else the same path on the API's host (the
    emulator serves a read-only page there, so a link made against it leads somewhere real)."""
    if api_base_url is None or urlsplit(api_base_url).hostname in X_API_HOSTS:
        return f"{X_WEB_URL}/i/web/status/{post_id}"
    return f"{api_base_url.rstrip('/')}/i/web/status/{post_id}"


def post_ids(value: Any, name: str = "posts") -> list[str]:
    """The post ids in ``value``: an id, a post's output (``{"id": ...}`` of ``CreateTweetOperator``), or a list of
    these (a thread's output), in order. ``None`` or an empty list is no post: a clean-up with nothing to clean."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    ids = []
    for item in items:
        post_id = item.get("id") if isinstance(item, Mapping) else item
        if isinstance(post_id, int) and not isinstance(post_id, bool):
            post_id = str(post_id)
        if not isinstance(post_id, str) or not POST_ID.match(post_id.strip()):
            raise TwitterInputError(
                f"{name} must be post ids (1 to 19 digits), a post's output ({{'id': ...}}) or a list of these; "
                f"got {type(item).__name__} {item!r}."
            )
        ids.append(post_id.strip())
    return ids

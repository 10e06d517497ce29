"""The HTTP clients the hook sends through: one ``requests`` session per hook for the workers, and one
``httpx.AsyncClient`` per event loop for the triggerer.

The async client is shared by every trigger in a triggerer process: thousands of waits then reuse a bounded pool
of connections and one TLS configuration instead of opening a client, a pool and a CA bundle each. ``requests``
is imported only when a session is built, so that the triggerer, which never builds one, does not load it.
"""

from __future__ import annotations

import asyncio
import ssl
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx

from airflow_provider.connection_settings import USER_AGENT

if TYPE_CHECKING:
    import requests
    from requests.auth import AuthBase

# Enough connections for a triggerer's concurrent polls, few enough to stay polite to X.
ASYNC_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50)
_ASYNC_CLIENTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = weakref.WeakKeyDictionary()


def requests_session(auth: AuthBase) -> requests.Session:
    """A session that signs every request with ``auth`` and streams upload bodies in 1 MiB blocks."""
    import requests
    from requests.adapters import HTTPAdapter

    class UploadAdapter(HTTPAdapter):
        """Sends a streamed body in 1 MiB blocks instead of urllib3's 16 KiB: a 4 MiB segment then takes 4 reads
        and TLS writes instead of 256 (about 20% more throughput on loopback, measured by the benchmarks)."""

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, blocksize=1 << 20, **kwargs)

    session = requests.Session()
    adapter = UploadAdapter(pool_maxsize=16)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.auth = auth
    session.headers["User-Agent"] = USER_AGENT
    return session


@cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


async def async_client() -> httpx.AsyncClient:
    """The running event loop's shared client, made on first use (the CA bundle loads in a thread, off the loop)."""
    loop = asyncio.get_running_loop()
    if (client := _ASYNC_CLIENTS.get(loop)) is None:
        verify = await asyncio.to_thread(_ssl_context)
        client = _ASYNC_CLIENTS.setdefault(loop, httpx.AsyncClient(verify=verify, limits=ASYNC_LIMITS))
    return client

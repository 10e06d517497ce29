"""The HTTP connections the client sends through: one ``requests`` session per client for the workers, and one
pool of async connections per event loop for the triggerer.

The async pool is shared by every trigger in a triggerer process: thousands of waits then reuse a bounded set of
connections and one TLS configuration instead of opening a client, a pool and a CA bundle each. ``requests`` is
imported only when a session is built, so that the triggerer, which never builds one, does not load it.
"""

from __future__ import annotations

import asyncio
import ssl
import urllib.request
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx

from airflow_provider.client.config import USER_AGENT

if TYPE_CHECKING:
    import requests
    from requests.auth import AuthBase

# httpcore's pool scans all its connections for every request it starts or ends, and for every idle one of them
# (quadratic: one 100-connection pool cost 3.3 ms of CPU per poll at 500 triggers, benchmarks/triggers.py), so the
# triggerer's connections are spread over small transports. 32 x 8: a connection is held until its answer is read,
# which a busy loop (10,000 triggers) or a WAN round trip makes 0.1-0.2 s, so 96 capped the polls in flight and
# queued them for up to 25 s; with 256 the queue is the loop's CPU, not the connections.
CONNECTIONS_PER_TRANSPORT = 8
TRANSPORTS_PER_LOOP = 32
# (event loop, proxy URL or "") -> its pool
_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, AsyncConnectionPool]] = (
    weakref.WeakKeyDictionary()
)


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


class AsyncConnectionPool:
    """The event loop's HTTP connections, in several small httpx transports behind one queue of free connections.

    A request waits in the queue (first come, first served) rather than inside httpcore, and takes the connection
    freed last, so a quiet triggerer keeps few connections open. It is sent straight through the transport, httpx's
    public interface for sending a built request: an ``httpx.AsyncClient``'s cookie jar, redirect and auth flows,
    which the client does not use, would cost about a third of a poll's CPU (measured by benchmarks/triggers.py).
    """

    def __init__(self, verify: ssl.SSLContext, proxy: str | None) -> None:
        limits = httpx.Limits(
            max_connections=CONNECTIONS_PER_TRANSPORT, max_keepalive_connections=CONNECTIONS_PER_TRANSPORT
        )
        transports = [
            httpx.AsyncHTTPTransport(verify=verify, limits=limits, proxy=proxy) for _ in range(TRANSPORTS_PER_LOOP)
        ]
        self._free: asyncio.LifoQueue[httpx.AsyncHTTPTransport] = asyncio.LifoQueue()
        for _ in range(CONNECTIONS_PER_TRANSPORT):
            for transport in reversed(transports):
                self._free.put_nowait(transport)

    async def send(self, request: httpx.Request) -> httpx.Response:
        transport = await self._free.get()
        try:
            response = await transport.handle_async_request(request)
            try:
                await response.aread()
            finally:
                await response.aclose()
            return response
        finally:
            self._free.put_nowait(transport)


def build_request(
    method: str, url: str, *, params: dict[str, str], headers: dict[str, str], timeout: float
) -> httpx.Request:
    """A request for :meth:`AsyncConnectionPool.send`, with ``timeout`` for connecting and each read."""
    extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
    return httpx.Request(method, url, params=params, headers=headers, extensions=extensions)


def environment_proxy(url: httpx.URL) -> str | None:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``), read
    as Python's ``urllib`` reads them, or None."""
    if urllib.request.proxy_bypass(url.host):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(url.scheme) or proxies.get("all")


async def async_pool(url: httpx.URL) -> AsyncConnectionPool:
    """The running event loop's shared connections to ``url``'s proxy (or none), made on first use (the CA bundle
    loads in a thread, off the loop)."""
    loop = asyncio.get_running_loop()
    proxy = environment_proxy(url)
    pools = _POOLS.setdefault(loop, {})
    if (pool := pools.get(proxy or "")) is None:
        verify = await asyncio.to_thread(_ssl_context)
        pool = pools.setdefault(proxy or "", AsyncConnectionPool(verify, proxy))
    return pool

"""The triggerer's shared HTTP pool: bounded connections, a first-come-first-served queue, the last-freed connection
reused, and proxies from the environment honoured as ``httpx`` would."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth

import airflow_provider.client.transport as transport_module
from airflow_provider.client.transport import (
    CONNECTIONS_PER_TRANSPORT,
    TRANSPORTS_PER_LOOP,
    AsyncConnectionPool,
    async_pool,
    build_request,
    requests_session,
)

SLOTS = TRANSPORTS_PER_LOOP * CONNECTIONS_PER_TRANSPORT


def mock_clients(monkeypatch: pytest.MonkeyPatch, handler: Any) -> list[dict[str, Any]]:
    """Each transport the pool makes answers through ``handler(transport_number, request)``; returns the arguments
    each transport was made with."""
    made: list[dict[str, Any]] = []

    def transport(**kwargs: Any) -> httpx.MockTransport:
        made.append(kwargs)
        number = len(made)

        async def answer(request: httpx.Request) -> httpx.Response:
            return await handler(number, request)

        return httpx.MockTransport(answer)

    monkeypatch.setattr(transport_module.httpx, "AsyncHTTPTransport", transport)
    return made


def request(n: int) -> httpx.Request:
    return build_request("GET", "http://x.test/2/media/upload", params={"n": str(n)}, headers={}, timeout=5)


async def test_requests_beyond_the_connections_wait_their_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    in_flight, most, order = 0, 0, []
    release = asyncio.Event()

    async def handler(_: int, req: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        order.append(int(req.url.params["n"]))
        await release.wait()
        in_flight -= 1
        return httpx.Response(200, json={"n": req.url.params["n"]})

    mock_clients(monkeypatch, handler)
    pool = AsyncConnectionPool(transport_module._ssl_context(), None)
    sends = [asyncio.create_task(pool.send(request(n))) for n in range(SLOTS + 10)]
    await asyncio.sleep(0.05)
    assert (most, len(order)) == (SLOTS, SLOTS)  # the rest queue in the pool, not inside httpx
    release.set()
    responses = await asyncio.gather(*sends)
    assert order == list(range(SLOTS + 10))  # served in arrival order
    assert [r.json()["n"] for r in responses] == [str(n) for n in range(SLOTS + 10)]
    assert responses[0].reason_phrase == "OK"


async def test_a_quiet_loop_keeps_to_one_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    used = []

    async def handler(client: int, _: httpx.Request) -> httpx.Response:
        used.append(client)
        return httpx.Response(200, json={})

    mock_clients(monkeypatch, handler)
    pool = AsyncConnectionPool(transport_module._ssl_context(), None)
    for n in range(5):
        await pool.send(request(n))
    assert len(set(used)) == 1


async def test_a_cancelled_request_frees_its_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    async def hang(_: int, __: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    mock_clients(monkeypatch, hang)
    pool = AsyncConnectionPool(transport_module._ssl_context(), None)
    stuck = [asyncio.create_task(pool.send(request(n))) for n in range(SLOTS)]
    await asyncio.sleep(0.01)
    for task in stuck:
        task.cancel()
    await asyncio.gather(*stuck, return_exceptions=True)
    assert pool._free.qsize() == SLOTS


async def test_the_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """As with ``httpx.AsyncClient`` and ``requests`` (in the workers): HTTP_PROXY routes the poll."""
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        while (await reader.readline()).strip():
            pass
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with server:
        pool = await transport_module.async_pool(request(1).url)
        response = await pool.send(request(1))
    assert response.status_code == 200
    assert seen == [b"GET http://x.test/2/media/upload?n=1 HTTP/1.1\r\n"]


async def test_no_proxy_for_hosts_the_environment_exempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "api.x.com")
    assert transport_module.environment_proxy(httpx.URL("https://api.x.com/2/tweets")) is None
    assert transport_module.environment_proxy(httpx.URL("https://upload.twitter.com/1.1/x")) == "http://proxy.test:3128"


async def test_one_pool_per_event_loop_and_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    url = httpx.URL("https://api.x.com/2/media/upload")
    pool = await async_pool(url)
    assert await async_pool(httpx.URL("https://upload.twitter.com/1.1/media/upload.json")) is pool
    monkeypatch.setenv("NO_PROXY", "api.x.com")
    assert await async_pool(url) is not pool  # no proxy for it now: the loop's other pool
    assert await async_pool(url) is await async_pool(url)


def test_a_pool_is_the_loops_own() -> None:
    url = httpx.URL("https://api.x.com/2/media/upload")
    assert asyncio.run(async_pool(url)) is not asyncio.run(async_pool(url))


def test_a_built_request_carries_its_timeout_for_connecting_and_each_read() -> None:
    built = build_request("GET", "https://api.x.com/2/media/upload", params={"a": "1"}, headers={"X": "y"}, timeout=7)
    assert built.extensions["timeout"] == {"connect": 7, "read": 7, "write": 7, "pool": 7}
    assert (str(built.url), built.headers["X"]) == ("https://api.x.com/2/media/upload?a=1", "y")


def test_the_requests_session_signs_names_itself_and_streams_in_large_blocks() -> None:
    auth = HTTPBasicAuth("a", "b")
    session = requests_session(auth)
    assert session.auth is auth
    assert session.headers["User-Agent"] == "airflow-provider-twitter"
    for scheme in ("https://", "http://"):
        adapter = session.get_adapter(f"{scheme}api.x.com")
        assert isinstance(adapter, HTTPAdapter)
        pool = adapter.poolmanager.connection_pool_kw
        assert (pool["blocksize"], pool["maxsize"]) == (1 << 20, 16)

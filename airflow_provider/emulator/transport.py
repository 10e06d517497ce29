"""Dropping a client's TCP connection without answering, for the ``drop`` and ``lost_answer`` faults.

ASGI has no "abort" message, and raising from the app makes uvicorn answer 500. uvicorn hands the app the
``send`` method of its per-request cycle, which holds the connection's asyncio transport; the outermost layer
of the app stores that transport in the scope so a handler can reset the connection (SO_LINGER 0, then abort).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

TRANSPORT_KEY = "airflow_provider.emulator.transport"


def remember_transport(scope: Scope, send: Send) -> None:
    """Keep the server's transport (uvicorn: ``send.__self__.transport``) for a later drop."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "abort"):
        scope[TRANSPORT_KEY] = transport


async def drop_connection(scope: Scope) -> None:
    """Reset the connection: the client sees ECONNRESET or EOF, never an HTTP status line."""
    transport: Any = scope.get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError("dropping a connection needs the emulator to be served by uvicorn")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let the server run connection_lost first, so it knows the client is gone and does not answer 500.
    await asyncio.sleep(0)


class DroppedConnection(Response):
    """A "response" that sends nothing and closes the connection."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await drop_connection(scope)

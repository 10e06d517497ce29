"""``python -m airflow_provider.emulator``: the ``-- COMMAND`` mode, serving mode, and a fast, Airflow-free start."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from airflow_provider.emulator.cli import _config, _parser
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.ratelimits import RateLimit
from tests.emulator.helpers import oauth1

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = [sys.executable, "-m", "airflow_provider.emulator"]

CHILD = """
import json, os, sys
import requests
from requests_oauthlib import OAuth1
conn = json.loads(os.environ["AIRFLOW_CONN_TWITTER_DEFAULT"])
assert conn["host"] == os.environ["TWITTER_EMULATOR_URL"]
auth = OAuth1(conn["login"], conn["password"], conn["extra"]["access_token"], conn["extra"]["access_token_secret"])
me = requests.get(conn["host"] + "/2/users/me", auth=auth, timeout=10)
print("child saw", me.status_code, me.json()["data"]["username"])
posted = requests.post(conn["host"] + "/2/tweets", json={"text": "hello from the child"}, auth=auth, timeout=10)
sys.exit(3 if posted.status_code == 201 else 1)
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EMULATOR, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_command_mode_runs_the_child_against_the_emulator_and_summarises(tmp_path: Path) -> None:
    plan = tmp_path / "faults.json"
    plan.write_text(json.dumps({"faults": [{"endpoint": "tweets", "calls": [2], "kind": "status"}]}))
    result = _run("--port", "0", "--faults", str(plan), "--", sys.executable, "-c", CHILD)
    assert result.returncode == 3, result.stderr
    assert "child saw 200 emulator" in result.stdout
    url = re.search(r"X API emulator on (http://127\.0\.0\.1:\d+); running:", result.stdout)
    assert url is not None, result.stdout
    match = re.search(
        r"Posts made on the emulator: 1\n +(\d{19}) +'hello from the child' .*  (\S+)$", result.stdout, re.M
    )
    assert match is not None, result.stdout
    assert match.group(2) == f"{url.group(1)}/i/web/status/{match.group(1)}"  # the emulator's page, not x.com


def test_command_mode_reports_a_missing_command() -> None:
    result = _run("--port", "0", "--", "no-such-command-xyz")
    assert result.returncode == 127
    assert "Posts made on the emulator: 0" in result.stdout


def test_serve_mode_prints_the_connection_and_stops_on_sigterm() -> None:
    process = subprocess.Popen([*EMULATOR, "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        conn = json.loads(line.split("AIRFLOW_CONN_TWITTER_DEFAULT=", 1)[1].strip().strip("'"))
        assert conn["conn_type"] == "twitter" and conn["login"] == "emulator-api-key"
        assert requests.get(conn["host"] + "/2/users/me", auth=oauth1(), timeout=10).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait()


def test_the_emulator_never_imports_airflow() -> None:
    code = "import sys, airflow_provider.emulator.cli; sys.exit('airflow' in sys.modules)"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, timeout=60, check=False).returncode == 0


def test_every_option_reaches_the_config(tmp_path: Path) -> None:
    plan = tmp_path / "faults.json"
    plan.write_text(json.dumps({"faults": [{"endpoint": "tweets", "kind": "status", "status": 502}]}))
    args = _parser().parse_args(
        [
            *("--processing-secs", "2.5", "--check-after-secs", "3", "--expires-after-secs", "60"),
            *("--latency-ms", "40", "--stuck-error", "--faults", str(plan)),
            *("--api-key", "k", "--api-key-secret", "ks", "--access-token", "t", "--access-token-secret", "ts"),
            *("--user-id", "7", "--username", "someone"),
            *("--rate-limit", "tweets=2/-/5", "--rate-limit", "status=9", "--rate-limit-window-secs", "60"),
            *("--min-video-secs", "1", "--max-video-secs", "600", "--out-of-credits", "--usage-capped"),
            *("--subscription-type", "PremiumPlus", "--keep-media-mib", "8"),
        ]
    )
    config = _config(args)
    assert (config.processing_secs, config.check_after_secs, config.expires_after_secs) == (2.5, 3, 60)
    assert (config.latency_ms, config.stuck_error) == (40, True)
    assert (config.api_key, config.api_key_secret, config.access_token, config.access_token_secret) == (
        "k",
        "ks",
        "t",
        "ts",
    )
    assert (config.user_id, config.username) == ("7", "someone")
    assert [(f.endpoint, f.status) for f in config.faults] == [("tweets", 502)]
    assert config.rate_limits == (RateLimit("tweets", 2, None, 5), RateLimit("status", 9))
    assert (config.rate_limit_window_secs, config.min_video_secs, config.max_video_secs) == (60, 1, 600)
    assert (config.out_of_credits, config.usage_capped, config.subscription_type) == (True, True, "PremiumPlus")
    assert config.keep_media_mib == 8
    assert {f.name for f in dataclasses.fields(EmulatorConfig)} - set(vars(args)) == {"name", "oauth_window_secs"}


def test_defaults_are_the_configs() -> None:
    assert _config(_parser().parse_args([])) == EmulatorConfig()


def test_a_bad_rate_limit_is_a_usage_error() -> None:
    result = _run("--rate-limit", "tweets=lots")
    assert result.returncode == 2 and "--rate-limit" in result.stderr

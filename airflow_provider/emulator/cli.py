"""``python -m airflow_provider.emulator``: serve the emulator, or run one command against it and summarise.

Everything after ``--`` is a command to run with ``AIRFLOW_CONN_TWITTER_DEFAULT`` (and ``TWITTER_EMULATOR_URL``)
pointing at the emulator; its exit code becomes ours. This is how the README's demo runs a DAG end to end.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflow_provider.emulator import config as defaults
from airflow_provider.emulator.config import SUBSCRIPTION_TYPES, EmulatorConfig
from airflow_provider.emulator.connection import CONN_ENV_VAR
from airflow_provider.emulator.faults import parse_plan
from airflow_provider.emulator.ratelimits import RateLimit
from airflow_provider.emulator.server import EmulatorServer
from airflow_provider.emulator.web import PAGE_PATH

URL_ENV_VAR = "TWITTER_EMULATOR_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m airflow_provider.emulator",
        description="Local emulator of the X (Twitter) media upload and post API.",
        epilog="Give a command after -- to run it against the emulator, e.g. -- airflow dags test my_dag",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument(
        "--processing-secs",
        type=float,
        default=EmulatorConfig.processing_secs,
        help="video/GIF processing time after FINALIZE (default %(default)s)",
    )
    parser.add_argument(
        "--check-after-secs",
        type=float,
        default=EmulatorConfig.check_after_secs,
        help="check_after_secs advised by STATUS (default %(default)s)",
    )
    parser.add_argument(
        "--expires-after-secs",
        type=int,
        default=EmulatorConfig.expires_after_secs,
        help="lifetime of a media id (default %(default)s)",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=EmulatorConfig.latency_ms, help="delay added to every X API answer"
    )
    parser.add_argument("--stuck-error", action="store_true", help="failed media report in_progress with an error")
    parser.add_argument(
        "--out-of-order-corrupts",
        action="store_true",
        help="a video or GIF whose segments arrived out of index order fails processing (X's behaviour is unknown)",
    )
    parser.add_argument(
        "--self-replies",
        action="store_true",
        help="replies to the user's own posts are allowed without a summons (default: refused, the stricter unknown)",
    )
    parser.add_argument("--faults", type=Path, metavar="FILE", help='JSON fault plan: {"faults": [...]}')
    parser.add_argument(
        "--rate-limit",
        dest="rate_limits",
        action="append",
        type=RateLimit.parse,
        default=[],
        metavar="ENDPOINT=WINDOW[/USER_DAY[/APP_DAY]]",
        help="override X's limit of an endpoint, '-' for no 24-hour cap (repeatable), e.g. tweets=2/-/5",
    )
    parser.add_argument(
        "--rate-limit-window-secs",
        type=int,
        default=EmulatorConfig.rate_limit_window_secs,
        help="length of a rate-limit window (default %(default)s)",
    )
    parser.add_argument(
        "--min-video-secs",
        type=float,
        default=EmulatorConfig.min_video_secs,
        help="shortest video (default %(default)s)",
    )
    parser.add_argument(
        "--max-video-secs",
        type=float,
        default=EmulatorConfig.max_video_secs,
        help="longest video (default %(default)s)",
    )
    parser.add_argument(
        "--subscription-type",
        choices=SUBSCRIPTION_TYPES,
        default=EmulatorConfig.subscription_type,
        help="the user's X subscription (GET /2/users/me); a subscriber posts up to 25,000 characters "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--keep-media-mib",
        type=int,
        default=EmulatorConfig.keep_media_mib,
        help="MiB of media bytes kept for the post pages' pictures, the oldest dropped first; 0 keeps none "
        "(default %(default)s)",
    )
    parser.add_argument("--out-of-credits", action="store_true", help="the account has no credits: every call is 402")
    parser.add_argument("--usage-capped", action="store_true", help="the account is over its usage cap: every call 429")
    parser.add_argument("--api-key", default=defaults.DEFAULT_API_KEY)
    parser.add_argument("--api-key-secret", default=defaults.DEFAULT_API_KEY_SECRET)
    parser.add_argument("--access-token", default=defaults.DEFAULT_ACCESS_TOKEN)
    parser.add_argument("--access-token-secret", default=defaults.DEFAULT_ACCESS_TOKEN_SECRET)
    parser.add_argument(
        "--auth",
        choices=("oauth1", "oauth2"),
        default="oauth1",
        help="the connection handed out: OAuth 1.0a, or OAuth 2.0 with a seed refresh token (default %(default)s)",
    )
    parser.add_argument("--oauth2-client-id", default=defaults.DEFAULT_OAUTH2_CLIENT_ID)
    parser.add_argument(
        "--oauth2-client-secret",
        default=defaults.DEFAULT_OAUTH2_CLIENT_SECRET,
        help="the OAuth 2.0 app's client secret; '' makes it a public client",
    )
    parser.add_argument(
        "--oauth2-access-token-secs",
        type=int,
        default=EmulatorConfig.oauth2_access_token_secs,
        help="lifetime of an OAuth 2.0 access token (default %(default)s)",
    )
    parser.add_argument(
        "--oauth2-keep-access-tokens",
        dest="oauth2_revoke_on_refresh",
        action="store_false",
        help="a refresh leaves the earlier access tokens valid until they expire (default: revoked)",
    )
    parser.add_argument(
        "--oauth2-reuse-revokes-grant",
        action="store_true",
        help="presenting a spent refresh token revokes every token of its grant",
    )
    parser.add_argument(
        "--oauth2-seed", default="", help="refresh token of a grant made at start-up (implies --auth oauth2)"
    )
    parser.add_argument("--user-id", default=defaults.DEFAULT_USER_ID)
    parser.add_argument("--username", default=defaults.DEFAULT_USERNAME)
    parser.add_argument("--ssl-certfile", metavar="PEM", help="serve https with this certificate (with --ssl-keyfile)")
    parser.add_argument("--ssl-keyfile", metavar="PEM", help="private key of --ssl-certfile")
    return parser


def _config(args: argparse.Namespace) -> EmulatorConfig:
    """The options named like ``EmulatorConfig`` fields, with the fault plan read from its file."""
    options = {f.name: getattr(args, f.name) for f in dataclasses.fields(EmulatorConfig) if hasattr(args, f.name)}
    options["faults"] = parse_plan(json.loads(args.faults.read_text())) if args.faults else ()
    options["rate_limits"] = tuple(args.rate_limits)
    if args.auth == "oauth2" and not args.oauth2_seed:
        options["oauth2_seed"] = secrets.token_urlsafe(32)
    return EmulatorConfig(**options)


def _serve_until_stopped(server: EmulatorServer) -> int:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"X API emulator on {server.url}  {CONN_ENV_VAR}='{server.connection_json()}'", flush=True)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    return 0


def summary(posts: Sequence[dict[str, Any]], base_url: str) -> str:
    """The posts, each with a link to the emulator's page of it (an x.com link would lead nowhere)."""
    lines = [f"Posts made on the emulator: {len(posts)}"]
    for post in posts:
        media = ", ".join(post["media_ids"]) or "none"
        page = base_url + PAGE_PATH.format(post_id=post["id"])
        lines.append(f"  {post['id']}  {post['text']!r}  media: {media}  {page}")
    return "\n".join(lines)


def _run_command(server: EmulatorServer, command: list[str]) -> int:
    env = {**os.environ, CONN_ENV_VAR: server.connection_json(), URL_ENV_VAR: server.url}
    print(f"X API emulator on {server.url}; running: {' '.join(command)}", flush=True)
    try:
        code = subprocess.run(command, env=env, check=False).returncode
    except FileNotFoundError:
        print(f"command not found: {command[0]}", file=sys.stderr)
        code = 127
    except KeyboardInterrupt:
        code = 130
    print(summary([post.to_json() for post in server.state.posts()], server.url), flush=True)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    split = arguments.index("--") if "--" in arguments else len(arguments)
    options, command = arguments[:split], arguments[split + 1 :]
    parser = _parser()
    args = parser.parse_args(options)
    if split < len(arguments) and not command:
        parser.error("give a command after --")
    try:
        config = _config(args)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    tls = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    with EmulatorServer(config, host=args.host, port=args.port, **tls) as server:
        return _run_command(server, command) if command else _serve_until_stopped(server)

"""``python -m airflow_provider.oauth2 authorize``: the one-time OAuth 2.0 authorization (code with PKCE), printing
the refresh token to put in the ``twitter`` connection.

It listens on a loopback redirect URI, prints (and opens) X's authorize URL, checks ``state``, exchanges the code at
once (X lets it live 30 s) and prints the refresh token and the connection extra. Against the emulator
(``--api-base http://127.0.0.1:8080``), the authorize page is the emulator's and approves at once.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import json
import secrets
import sys
import threading
import webbrowser
from collections.abc import Sequence
from urllib.parse import parse_qs, urlencode, urlsplit

from airflow_provider.client.config import DEFAULT_API_URL
from airflow_provider.client.oauth2 import AUTHORIZE_PATH, SCOPES, X_AUTHORIZE_URL
from airflow_provider.client.oauth2.token_endpoint import (
    Client,
    TokenAnswerLost,
    TokenNotSent,
    TokenRefused,
    post_token,
)

DEFAULT_REDIRECT = "http://127.0.0.1:8976/callback"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m airflow_provider.oauth2", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    authorize = commands.add_parser("authorize", help="authorize an account once; prints the refresh token")
    authorize.add_argument("--client-id", required=True, help="the app's OAuth 2.0 Client ID")
    authorize.add_argument(
        "--client-secret", default="", help="the app's Client Secret (confidential clients); omit for a public client"
    )
    authorize.add_argument(
        "--redirect-uri",
        default=DEFAULT_REDIRECT,
        help="a loopback callback URL registered in the app's settings, exactly (default %(default)s)",
    )
    authorize.add_argument("--api-base", default=DEFAULT_API_URL, help="the connection's host (default %(default)s)")
    authorize.add_argument(
        "--authorize-url", help=f"default {X_AUTHORIZE_URL}, or <api-base>{AUTHORIZE_PATH} for another --api-base"
    )
    authorize.add_argument("--no-browser", action="store_true", help="only print the URL to open")
    authorize.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the approval")
    return parser


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 §4.1-4.2)."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _callback(received: dict[str, str], arrived: threading.Event) -> type[http.server.BaseHTTPRequestHandler]:
    """A handler that takes the one redirect's query and hands it to the waiting helper."""

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            received.update({name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()})
            arrived.set()
            body = b"Authorized: you can close this page and return to the terminal."
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # the query carries the code: never logged
            pass

    return Callback


def authorize(args: argparse.Namespace) -> int:
    redirect = urlsplit(args.redirect_uri)
    if redirect.scheme != "http" or redirect.hostname not in ("127.0.0.1", "localhost") or not redirect.port:
        print(
            "--redirect-uri must be http://127.0.0.1:<port>/<path>, registered in the app's settings", file=sys.stderr
        )
        return 2
    base = args.api_base.rstrip("/")
    authorize_url = args.authorize_url or (X_AUTHORIZE_URL if base == DEFAULT_API_URL else base + AUTHORIZE_PATH)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    query = {
        "response_type": "code",
        "client_id": args.client_id,
        "redirect_uri": args.redirect_uri,
        "scope": " ".join(SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    url = f"{authorize_url}?{urlencode(query)}"
    received: dict[str, str] = {}
    arrived = threading.Event()
    server = http.server.HTTPServer((redirect.hostname or "127.0.0.1", redirect.port), _callback(received, arrived))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        print(f"Open this URL, sign in as the account that will post, and approve:\n\n  {url}\n", flush=True)
        if not args.no_browser:
            webbrowser.open(url)
        if not arrived.wait(args.timeout):
            print(f"No approval within {args.timeout:.0f} s.", file=sys.stderr)
            return 1
    finally:
        server.shutdown()
        server.server_close()
    if received.get("state") != state:
        print("The redirect's state does not match this request's: refused.", file=sys.stderr)
        return 1
    if "code" not in received:
        print(f"X did not authorize: {received.get('error', 'no code in the redirect')}", file=sys.stderr)
        return 1
    form = {
        "grant_type": "authorization_code",
        "code": received["code"],
        "redirect_uri": args.redirect_uri,
        "code_verifier": verifier,
    }
    try:
        answer = post_token(base, Client(args.client_id, args.client_secret), form)
    except (TokenNotSent, TokenAnswerLost, TokenRefused) as e:
        print(f"The code exchange failed: {e}. Run the command again.", file=sys.stderr)
        return 1
    missing = [scope for scope in SCOPES if scope not in str(answer.get("scope", "")).split()]
    if missing or not answer.get("refresh_token"):
        print(
            f"The authorization lacks {', '.join(missing) or 'a refresh token'}: approve every scope.", file=sys.stderr
        )
        return 1
    extra = {
        "auth_type": "oauth2",
        "client_id": args.client_id,
        "client_secret": args.client_secret,
        "refresh_token": answer["refresh_token"],
    }
    print(f"Refresh token: {answer['refresh_token']}\n\nConnection extra (use it once; do not share it):")
    print(json.dumps(extra))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return authorize(args)


if __name__ == "__main__":
    sys.exit(main())

"""OAuth 2.0 user context for X: the token endpoint, rotated tokens kept in a store every worker and the triggerer
share, refreshes under a lease so that no spent refresh token is ever presented, and the one-time authorization
(``python -m airflow_provider.oauth2 authorize``). See docs/connection.md for the design and its argument.
"""

from __future__ import annotations

# What the authorization helper asks for: posting needs tweet.read, tweet.write and users.read (POST /2/tweets),
# uploading media.write, and a refresh token is only issued with offline.access (DOCS
# fundamentals/authentication/oauth-2-0/authorization-code.mdx and guides/v2-authentication-mapping.mdx).
SCOPES = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")
# Checked in every token answer, before any request uses the token.
REQUIRED_SCOPES = SCOPES
TOKEN_PATH = "/2/oauth2/token"
X_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
AUTHORIZE_PATH = "/i/oauth2/authorize"

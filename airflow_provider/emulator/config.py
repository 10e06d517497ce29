"""Start-up settings of the X API emulator: credentials, the emulated user, clocks and fault plan."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_provider.emulator.faults import Fault
from airflow_provider.emulator.ratelimits import WINDOW_SECS, RateLimit

DEFAULT_API_KEY = "emulator-api-key"
DEFAULT_API_KEY_SECRET = "emulator-api-key-secret"
DEFAULT_ACCESS_TOKEN = "emulator-access-token"
DEFAULT_ACCESS_TOKEN_SECRET = "emulator-access-token-secret"
DEFAULT_USER_ID = "1000000000000000001"
DEFAULT_USERNAME = "emulator"
DEFAULT_OAUTH2_CLIENT_ID = "emulator-client-id"
DEFAULT_OAUTH2_CLIENT_SECRET = "emulator-client-secret"
SUBSCRIPTION_TYPES = ("Basic", "Premium", "PremiumPlus", "None")  # OAS 2.167 User.subscription_type


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that shapes the emulator's behaviour; immutable so a running server cannot drift from it.

    ``processing_secs`` is how long video and GIF processing takes after FINALIZE, ``check_after_secs`` what
    STATUS advises clients to wait between polls, ``expires_after_secs`` how long a media id stays usable,
    ``stuck_error`` makes failed media report ``in_progress`` with an ``error`` (as X has been seen doing),
    ``latency_ms`` delays every X API answer, ``oauth_window_secs`` is the accepted ``oauth_timestamp`` skew
    and ``faults`` the fault plan installed at start-up.

    ``rate_limits`` override X's per-endpoint limits (e.g. a tiny one in a test), ``rate_limit_window_secs`` is
    the window length; ``min_video_secs``/``max_video_secs`` bound a video's duration (a standard account's);
    ``out_of_credits`` and ``usage_capped`` put the account in those billing states from the start.
    ``out_of_order_corrupts`` makes a video or GIF whose segments arrived out of index order fail processing with
    ``InvalidMedia``, as if X put the file together in arrival order: X documents neither that it reassembles
    parallel APPENDs by index nor that it does not, so the provider's safety net for that case can be tested.
    ``subscription_type`` is the user's X subscription as ``GET /2/users/me`` reports it with
    ``user.fields=subscription_type`` (OAS 2.167 ``User.subscription_type``: ``Basic``, ``Premium``, ``PremiumPlus`` or
    ``None``); a subscriber may post up to 25,000 weighted characters (X's longer posts; see ``posttext``).
    ``keep_media_mib`` bounds the media bytes kept for the web page's pictures (the oldest dropped first; 0 keeps
    none): no X API answer needs them, and a bound keeps long runs and big uploads from filling memory.
    ``self_replies`` lets the user reply to its own posts without a summons (X's rule since 2026-02-23 leaves it
    undocumented; refused by default, the stricter answer; see :meth:`EmulatorState.create_post`).

    OAuth 2.0: the app's ``oauth2_client_id`` and ``oauth2_client_secret`` (empty: a public client), the access
    tokens' lifetime, whether a refresh revokes the access tokens issued before it, and whether presenting a spent
    refresh token revokes its whole grant (see :mod:`airflow_provider.emulator.oauth2`). With ``oauth2_seed``, a grant
    of every scope the provider needs is made at start-up (and after a reset) with that refresh token, and the
    emulator hands out an OAuth 2.0 connection instead of an OAuth 1.0a one.
    """

    api_key: str = DEFAULT_API_KEY
    api_key_secret: str = DEFAULT_API_KEY_SECRET
    access_token: str = DEFAULT_ACCESS_TOKEN
    access_token_secret: str = DEFAULT_ACCESS_TOKEN_SECRET
    user_id: str = DEFAULT_USER_ID
    username: str = DEFAULT_USERNAME
    name: str = "X API Emulator"
    processing_secs: float = 6.0
    check_after_secs: float = 1.0
    expires_after_secs: int = 86400
    stuck_error: bool = False
    latency_ms: float = 0.0
    oauth_window_secs: int = 300
    faults: tuple[Fault, ...] = ()
    rate_limits: tuple[RateLimit, ...] = ()
    rate_limit_window_secs: int = WINDOW_SECS
    min_video_secs: float = 0.5
    max_video_secs: float = 140.0
    out_of_credits: bool = False
    usage_capped: bool = False
    self_replies: bool = False
    out_of_order_corrupts: bool = False
    subscription_type: str = "None"
    keep_media_mib: int = 256
    oauth2_client_id: str = DEFAULT_OAUTH2_CLIENT_ID
    oauth2_client_secret: str = DEFAULT_OAUTH2_CLIENT_SECRET
    oauth2_access_token_secs: int = 7200
    oauth2_revoke_on_refresh: bool = True
    oauth2_reuse_revokes_grant: bool = False
    oauth2_seed: str = ""

    def __post_init__(self) -> None:
        if not self.user_id.isdigit():
            raise ValueError(f"user_id must be numeric, got {self.user_id!r}")
        if self.processing_secs < 0 or self.latency_ms < 0:
            raise ValueError("processing_secs and latency_ms must not be negative")
        if (
            min(self.check_after_secs, self.expires_after_secs, self.oauth_window_secs, self.rate_limit_window_secs)
            <= 0
        ):
            raise ValueError(
                "check_after_secs, expires_after_secs, oauth_window_secs and rate_limit_window_secs must be positive"
            )
        if self.keep_media_mib < 0:
            raise ValueError("keep_media_mib must not be negative")
        if self.oauth2_access_token_secs <= 0:
            raise ValueError("oauth2_access_token_secs must be positive")
        if self.subscription_type not in SUBSCRIPTION_TYPES:
            raise ValueError(f"subscription_type must be one of {', '.join(SUBSCRIPTION_TYPES)}")
        if not 0 <= self.min_video_secs <= self.max_video_secs:
            raise ValueError("min_video_secs must be between 0 and max_video_secs")

"""Start-up settings of the X API emulator: credentials, the emulated user, clocks and fault plan."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_provider.emulator.faults import Fault

DEFAULT_API_KEY = "emulator-api-key"
DEFAULT_API_KEY_SECRET = "emulator-api-key-secret"
DEFAULT_ACCESS_TOKEN = "emulator-access-token"
DEFAULT_ACCESS_TOKEN_SECRET = "emulator-access-token-secret"
DEFAULT_USER_ID = "1000000000000000001"
DEFAULT_USERNAME = "emulator"


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that shapes the emulator's behaviour; immutable so a running server cannot drift from it.

    ``processing_secs`` is how long video and GIF processing takes after FINALIZE, ``check_after_secs`` what
    STATUS advises clients to wait between polls, ``expires_after_secs`` how long a media id stays usable,
    ``stuck_error`` makes failed media report ``in_progress`` with an ``error`` (as X has been seen doing),
    ``latency_ms`` delays every X API answer, ``oauth_window_secs`` is the accepted ``oauth_timestamp`` skew
    and ``faults`` the fault plan installed at start-up.
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

    def __post_init__(self) -> None:
        if not self.user_id.isdigit():
            raise ValueError(f"user_id must be numeric, got {self.user_id!r}")
        if self.processing_secs < 0 or self.latency_ms < 0:
            raise ValueError("processing_secs and latency_ms must not be negative")
        if self.check_after_secs <= 0 or self.expires_after_secs <= 0 or self.oauth_window_secs <= 0:
            raise ValueError("check_after_secs, expires_after_secs and oauth_window_secs must be positive")

"""Local emulator of the X (Twitter) API v2 media upload and post endpoints (plus v1.1 chunked upload).

It speaks the documented wire format over real HTTP with OAuth 1.0a, so client code is exercised end to end,
and adds what X cannot give a test: a controllable processing clock, fault injection and an admin API.
It never imports Airflow, so it starts fast and runs standalone: ``python -m airflow_provider.emulator``.
"""

from __future__ import annotations

# The emulator's packages come with the extra, not with the provider: say so instead of a bare ModuleNotFoundError.
try:
    import python_multipart  # noqa: F401
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:
    raise ImportError(
        f"airflow_provider.emulator needs the module {exc.name!r}, from the provider's [emulator] extra: "
        "pip install 'airflow-provider-twitter[emulator]'",
        name=exc.name,
    ) from exc

from airflow_provider.emulator.app import create_app
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.faults import Fault
from airflow_provider.emulator.ratelimits import RateLimit
from airflow_provider.emulator.server import EmulatorServer

__all__ = ["EmulatorConfig", "EmulatorServer", "Fault", "RateLimit", "create_app"]

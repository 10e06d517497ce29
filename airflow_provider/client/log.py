"""Where the client logs: any logger with the standard ``logging`` methods, such as a task's log (which Airflow 3
makes a structlog logger) or ``logging.getLogger(...)``."""

from __future__ import annotations

from typing import Any, Protocol


class Log(Protocol):
    def info(self, event: Any, *args: Any, **kw: Any) -> Any: ...

    def warning(self, event: Any, *args: Any, **kw: Any) -> Any: ...

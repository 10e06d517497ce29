"""Apache Airflow provider for publishing media to X (Twitter)."""

from __future__ import annotations

__version__ = "0.1.0"

"""Apache Airflow provider for publishing media to X (Twitter)."""

from __future__ import annotations

__version__ = "0.1.0"

# The default connection id, kept here so that DAG files can name it without importing the hook.
DEFAULT_CONN_ID = "twitter_default"

"""Entry point of ``python -m airflow_provider.emulator``."""

from __future__ import annotations

from airflow_provider.emulator.cli import main

raise SystemExit(main())

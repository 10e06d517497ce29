"""X's rules as plain functions and data: what X accepts, checked before any request.

Media kinds and limits, post text as X counts it, post options, media metadata, subtitles, processing states, the
upload's receipt and threads. Nothing here sends a request or reads a file: a new rule of X goes here, with its
source, and the emulator (``airflow_provider/emulator``) answers it the same way (CONTRIBUTING.md).
"""

"""X's HTTP client: the session (signing with OAuth 1.0a or OAuth 2.0 with rotation, one send-and-retry path for
sync and async), the endpoints, the parallel upload, answers turned into data or errors, and rate limits.

It reads no Airflow connection and runs in no task: :class:`~airflow_provider.client.api.XClient` is built from
credentials and settings, and tested against fakes of X's HTTP answers. The hook turns a connection into one.
"""

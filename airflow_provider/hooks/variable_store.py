"""The OAuth 2.0 token store of a deployment: two Airflow Variables per connection, which every task and the
triggerer can read and write through Airflow 3's execution API, and which outlive them.

- ``twitter_oauth2_token__<conn_id>``: the token state (JSON), masked by Airflow in the UI, the REST API and logs;
- ``twitter_oauth2_lease__<conn_id>``: who may refresh now (no secret in it).

Variables offer get and set only, last writer wins; the token rotation (:mod:`airflow_provider.client.oauth2.rotation`)
builds its mutual exclusion from that, so every read must see the latest write. Airflow's secrets cache
(``[secrets] use_cache``) could answer a read with an older value, but Airflow 3.0 to 3.3 turn it on only in the
DAG processor, never in a task or the triggerer, where the tokens are read; the provider relies on that rather than
on a private API to bypass the cache (docs/connection.md, "Where the rotated tokens live").
"""

from __future__ import annotations


class VariableStore:
    """Airflow Variables through the Task SDK (tasks, the triggerer, ``airflow dags test``)."""

    def get(self, key: str) -> str | None:
        from airflow.providers.common.compat.sdk import Variable

        value = Variable.get(key, default=None)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str, description: str | None = None) -> None:
        from airflow.providers.common.compat.sdk import Variable

        Variable.set(key, value, description=description)

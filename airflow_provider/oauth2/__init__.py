"""``python -m airflow_provider.oauth2 authorize``: the one-time OAuth 2.0 authorization of the account that posts
(:mod:`airflow_provider.client.oauth2.authorize`)."""

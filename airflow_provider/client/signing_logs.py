"""Keep credentials out of the logs of the OAuth libraries the provider drives.

At DEBUG, oauthlib logs the parameters it signs (the access token among them) and the signature base string, and
requests_oauthlib logs its client (the access token again) and the signed request's headers: the whole
``Authorization`` header. Airflow's masker would hide the token only where it redacts (``airflow dags test``
prints these lines unmasked) and never the signature, which is new for every request. So these loggers are held
at INFO, where they log nothing, whatever the task's logging level.

urllib3, httpx and httpcore are left alone: at DEBUG they log URLs, status lines and response headers, never a
request header (tests/e2e/test_secrets.py searches their DEBUG output for every secret).
"""

from __future__ import annotations

import logging

SIGNING_LOGGERS = ("oauthlib", "requests_oauthlib")


def quiet_signing_loggers() -> None:
    """Hold the signing libraries' loggers at INFO or above, and any of their children given a level of its own
    (``[logging] namespace_levels``, a ``setLevel`` in user code): a child's own DEBUG would bypass its parent's."""
    for name in SIGNING_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
    for name, child in list(logging.root.manager.loggerDict.items()):
        if (
            isinstance(child, logging.Logger)
            and name.partition(".")[0] in SIGNING_LOGGERS
            and logging.NOTSET < child.level < logging.INFO
        ):
            child.setLevel(logging.INFO)

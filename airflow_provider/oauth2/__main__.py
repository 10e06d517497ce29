from __future__ import annotations

import sys

from airflow_provider.client.oauth2.authorize import main

sys.exit(main())

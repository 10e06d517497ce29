# Every target installs what it needs from the pinned uv.lock (uv into .tools/, the environment into .venv/):
#   make demo        upload -> wait -> post, against the bundled X emulator, on Airflow + SQLite in ./.airflow;
#                    installs only the runtime and the [emulator] extra (.venv-demo/), not the development tools
#   make check       the inner loop: lint, then the unit, emulator and contract tests (at most 3 minutes on 2 cores)
#   make test        the CI gate (.ci/run): check, then e2e alongside versions, deployment, dist (ci/test.sh)
#   make lint        ruff, mypy, and no private Airflow or httpx name (ci/public_apis.py)
#   make e2e         the example DAGs with `airflow dags test` against the emulator over loopback, in parallel
#   make deployment  Airflow as separate processes on PostgreSQL (LocalExecutor, CeleryExecutor) against the emulator
#   make versions    the example DAG end to end on every supported Airflow 3 line (ci/versions.sh)
#   make dist        the sdist and the wheel, built and checked (ci/check_dist.py)
#   make bench       the benchmarks (about 15 minutes; BENCH_ARGS=--full: issue #7's 20-run matrix, 5 more); prints them and rewrites docs/benchmarks.md
#   make up          a local Airflow (web UI, scheduler, dag-processor, triggerer; PostgreSQL) against the emulator
#   make screenshots the UI pictures in docs/images/, from `make up` in a headless Chromium (CHROMIUM=/usr/bin/chromium)

PYTHON     ?= python3
UV_VERSION := 0.13.9
UV         := .tools/bin/uv
VENV       := .venv
DEMO_VENV  := .venv-demo
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo check test lint e2e deployment bench env clean up versions dist screenshots

# pytest-xdist workers for the end-to-end tier: its DAG runs mostly wait on X's (emulated) processing.
E2E_WORKERS ?= 4

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet
	@touch $@

env: $(VENV)/.synced

# The demo's own environment, from the same uv.lock: the provider, Airflow and the [emulator] extra, without the
# dev group (test tools, the Amazon provider, moto, Celery, PostgreSQL), which only the tests need.
$(DEMO_VENV)/.synced: $(UV) uv.lock pyproject.toml
	UV_PROJECT_ENVIRONMENT=$(DEMO_VENV) $(UV) sync --frozen --quiet --no-dev --extra emulator
	@touch $@

demo: export AIRFLOW_HOME := $(CURDIR)/.airflow
demo: export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
demo: export AIRFLOW__CORE__LOAD_EXAMPLES := False
demo: $(DEMO_VENV)/.synced
	@mkdir -p $(AIRFLOW_HOME)
	$(DEMO_VENV)/bin/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (cat $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	$(DEMO_VENV)/bin/python -m airflow_provider.emulator --port 0 --processing-secs 8 --check-after-secs 2 -- \
		$(DEMO_VENV)/bin/airflow dags test example_twitter_video

# The deployment tests' harness (tests/deployment) runs the processes; Ctrl-C stops them all.
up: env
	$(VENV)/bin/python -m tests.deployment.up

# Not part of CI: the dependency group `screenshots` (playwright) on top of .venv, driving the system's Chromium.
screenshots: env
	$(UV) run --frozen --group screenshots python -m tests.deployment.screenshots

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/python ci/public_apis.py

check: lint
	$(VENV)/bin/pytest tests/unit tests/emulator tests/contract

e2e: env
	$(VENV)/bin/pytest -n $(E2E_WORKERS) tests/e2e

deployment: env
	$(VENV)/bin/pytest tests/deployment

test: env
	bash ci/test.sh

# Each line in its own .venv-versions/<line> from its committed set in ci/versions/, apart from uv.lock.
versions: $(UV)
	bash ci/versions.sh

# The sdist and the wheel into dist/, checked by twine and for what each holds (ci/check_dist.py).
dist: env
	$(VENV)/bin/python ci/check_dist.py

# tweepy (the baseline) pins oauthlib < 4, so it joins only the benchmark run, not the locked environment.
bench: env
	$(UV) run --frozen --with tweepy==4.17.0 python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf .airflow .pytest_cache .mypy_cache .ruff_cache .venv-versions .deployment-logs dist

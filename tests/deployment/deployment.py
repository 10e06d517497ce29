"""An Airflow 3 deployment of separate processes (api-server, scheduler, dag-processor, triggerer, and for
CeleryExecutor the workers) on PostgreSQL, against the emulator; and a client of its REST API."""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import requests
from cryptography.fernet import Fernet
from packaging.version import Version

from tests.deployment.harness import (
    BIN,
    LOOPBACK,
    ROOT,
    Emulator,
    Postgres,
    Process,
    Processes,
    Redis,
    free_port,
    wait_until,
)

AIRFLOW = str(BIN / "airflow")
EXAMPLE_DAGS_DIR = ROOT / "dags"
TEST_DAGS_DIR = Path(__file__).parent / "dags"
FINISHED = {"success", "failed"}
T = TypeVar("T")
VIDEO_DAGS = ("example_twitter_video", "example_twitter_video_deferrable")
# DAGs whose ``text`` param lets a run name itself in its post.
TEXT_DAGS = (*VIDEO_DAGS, "example_twitter_images")
EXAMPLE_DAGS = (*TEXT_DAGS, "example_twitter_taskflow")
TEST_DAGS = ("deployment_sensor_timeout", "deployment_post_retry", "deployment_upload_retry")
# Human-in-the-loop operators (the approval example) exist from Airflow 3.1; on 3.0 that file defines no DAG.
HITL = Version(version("apache-airflow")) >= Version("3.1")
# Example DAGs with their own checks (test_local_executor_flows.py), not the every-example-DAG test's.
WHOLE_POST_DAGS = ("example_twitter_thread", "example_twitter_subtitles") + (
    ("example_twitter_approval",) if HITL else ()
)
CONN_ID = "twitter_default"
CONN_ENV_VAR = f"AIRFLOW_CONN_{CONN_ID.upper()}"


def _bundle(name: str, path: Path) -> dict[str, Any]:
    return {
        "name": name,
        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
        "kwargs": {"path": str(path), "refresh_interval": 5},
    }


def airflow_config(
    *, home: Path, logs: Path, db_url: str, api_port: int, executor: str, emulator: Emulator, bundles: dict[str, Path]
) -> dict[str, str]:
    """The whole configuration, as environment variables given to every Airflow process alike."""
    api_url = f"http://{LOOPBACK}:{api_port}"
    config = {
        "core": {
            "executor": executor,
            "load_examples": "False",
            "simple_auth_manager_all_admins": "True",
            # Shared by all processes: trigger kwargs are encrypted by one process and read by another.
            "fernet_key": Fernet.generate_key().decode(),
            "execution_api_server_url": f"{api_url}/execution/",
            "parallelism": "16",
        },
        "database": {"sql_alchemy_conn": db_url},
        "api": {"base_url": api_url, "host": LOOPBACK, "port": str(api_port), "workers": "1"},
        # One secret for all: workers' task tokens are issued by one process and checked by the api-server.
        "api_auth": {"jwt_secret": secrets.token_urlsafe(32)},
        "dag_processor": {"dag_bundle_config_list": json.dumps([_bundle(n, p) for n, p in bundles.items()])},
        "logging": {"base_log_folder": str(logs / "task-logs")},
        # A killed task's heartbeat stops: notice it within 30 s, not the default 5 min.
        "scheduler": {"task_instance_heartbeat_timeout": "30"},
        # A killed triggerer's triggers move to a live one after 10 s without its heartbeat, not 30 s.
        "triggerer": {"job_heartbeat_sec": "2", "triggerer_health_check_threshold": "10"},
    }
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AIRFLOW_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        CONN_ENV_VAR: emulator.connection_json(),
    }
    env |= {
        f"AIRFLOW__{section.upper()}__{key.upper()}": value
        for section, keys in config.items()
        for key, value in keys.items()
    }
    return env


@dataclass
class Api:
    """The public REST API (``/api/v2``), with a token from the simple auth manager's all-admins login."""

    url: str
    session: requests.Session = field(default_factory=requests.Session)

    def login(self) -> None:
        token = requests.get(f"{self.url}/auth/token", timeout=30).json()["access_token"]
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.url}/api/v2{path}", timeout=60, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json()

    def unpause(self, dag_id: str) -> None:
        self.call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, run_id: str, conf: dict[str, Any] | None = None) -> None:
        self.call(
            "POST", f"/dags/{dag_id}/dagRuns", json={"dag_run_id": run_id, "logical_date": None, "conf": conf or {}}
        )

    def run_state(self, dag_id: str, run_id: str) -> str:
        return str(self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"])

    def task_instances(self, dag_id: str, run_id: str) -> dict[str, dict[str, Any]]:
        answer = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")
        return {ti["task_id"]: ti for ti in answer["task_instances"]}

    def xcom(self, dag_id: str, run_id: str, task_id: str, key: str = "return_value") -> Any:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/{key}"
        return self.call("GET", path, params={"deserialize": "true"})["value"]

    def add_connection(self, conn_id: str, fields: dict[str, Any], description: str) -> bool:
        """Create the connection in the metadata database, unless one with that id exists: that one is kept as it
        is (a user may have edited it). True if created."""
        body = {**fields, "connection_id": conn_id, "description": description, "extra": json.dumps(fields["extra"])}
        response = self.session.post(f"{self.url}/api/v2/connections", json=body, timeout=60)
        if response.status_code == 409:
            return False
        if not response.ok:
            raise RuntimeError(f"POST /connections: {response.status_code} {response.text[:500]}")
        return True

    def extra_links(self, dag_id: str, run_id: str, task_id: str) -> dict[str, str | None]:
        """The task page's buttons (operator extra links), name to URL, as the UI reads them."""
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/links"
        links: dict[str, str | None] = self.call("GET", path)["extra_links"]
        return links

    def waiting_for_input(self, dag_id: str, run_id: str, task_id: str) -> dict[str, Any] | None:
        """The task's request for input (human-in-the-loop) while it waits for an answer, else None."""
        answer = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/hitlDetails", params={"task_id": task_id})
        waiting = [
            detail
            for detail in answer["hitl_details"]
            if not detail["response_received"] and detail["task_instance"]["state"] in ("deferred", "awaiting_input")
        ]
        return waiting[0] if waiting else None

    def respond(self, dag_id: str, run_id: str, task_id: str, options: list[str]) -> Any:
        """Answer a request for input as a person does in the UI (its Required Actions page calls this route)."""
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/-1/hitlDetails"
        return self.call("PATCH", path, json={"chosen_options": options})


@dataclass
class Run:
    """One DAG run as triggered, and what it left behind once finished."""

    dag_id: str
    run_id: str
    conf: dict[str, Any] = field(default_factory=dict)
    state: str | None = None
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    reschedules: dict[str, int] = field(default_factory=dict)
    media_id: str | None = None

    def describe(self) -> str:
        tasks = ", ".join(f"{t}={ti['state']}(try {ti['try_number']})" for t, ti in self.tasks.items())
        return f"{self.dag_id}/{self.run_id}: {self.state} [{tasks}] reschedules={self.reschedules}"

    def problems(self, posts: list[dict[str, Any]]) -> list[str]:
        """Why the run is not green with exactly one post of its own media (and its text), if it is not."""
        if self.media_id:
            mine = [post for post in posts if self.media_id in post["media_ids"]]
        else:  # a mapped upload has no single media id: the run's text names it
            mine = [post for post in posts if post["text"] == self.conf.get("text")]
        problems = []
        if self.state != "success":
            problems.append("run not successful")
        if len(mine) != 1:
            problems.append(f"{len(mine)} posts of its media")
        elif "text" in self.conf and mine[0]["text"] != self.conf["text"]:
            problems.append(f"post text {mine[0]['text']!r}")
        return [f"{self.describe()}: {'; '.join(problems)}"] if problems else []


@dataclass
class Deployment:
    """Airflow's processes on one metadata database; start() returns once the DAGs are parsed and unpaused."""

    name: str
    executor: str
    postgres: Postgres
    emulator: Emulator
    processes: Processes
    home: Path
    redis: Redis | None = None
    celery_workers: int = 0
    dag_ids: tuple[str, ...] = ()
    api_port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    triggerers: int = 0
    workers: list[Process] = field(default_factory=list)
    # The twitter_default connection: an AIRFLOW_CONN_ variable every process reads (the tests), or, when True, a
    # row in the metadata database made through the REST API (make up), which the UI lists and can edit and no
    # variable shadows.
    connection_in_db: bool = False
    # This deployment's own Airflow settings (AIRFLOW__SECTION__KEY variables) over the shared configuration.
    settings: dict[str, str] = field(default_factory=dict)
    bundles: dict[str, Path] = field(
        default_factory=lambda: {"example-dags": EXAMPLE_DAGS_DIR, "deployment-test-dags": TEST_DAGS_DIR}
    )

    def __post_init__(self) -> None:
        self.api = Api(f"http://{LOOPBACK}:{self.api_port}")

    @property
    def database(self) -> str:
        return f"airflow_{self.name}"

    def start(self, timeout: float = 300) -> Deployment:
        self.postgres.create_database(self.database)
        self.env = airflow_config(
            home=self.home,
            logs=self.processes.logs,
            db_url=self.postgres.sqlalchemy_url(self.database),
            api_port=self.api_port,
            executor=self.executor,
            emulator=self.emulator,
            bundles=self.bundles,
        )
        self.env |= self.settings
        if self.connection_in_db:
            del self.env[CONN_ENV_VAR]
        if self.redis:
            self.env["AIRFLOW__CELERY__BROKER_URL"] = self.redis.url
            self.env["AIRFLOW__CELERY__RESULT_BACKEND"] = "db+" + self.postgres.dsn(self.database)
        self.home.mkdir(parents=True, exist_ok=True)
        with (self.processes.logs / "db-migrate.log").open("wb") as out:
            subprocess.run(
                [AIRFLOW, "db", "migrate"], env=self.env, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=600
            )
        self._airflow("api-server", "api-server", "--host", LOOPBACK, "--port", str(self.api_port))
        self._airflow("scheduler", "scheduler", "--skip-serve-logs")
        self._airflow("dag-processor", "dag-processor")
        self.start_triggerer()
        for n in range(1, self.celery_workers + 1):
            worker = self._airflow(
                f"celery-worker-{n}",
                *("celery", "worker", "--celery-hostname", f"worker{n}@{LOOPBACK}", "--concurrency", "1"),
                *("--skip-serve-logs", "--without-mingle", "--without-gossip"),
            )
            self.workers.append(worker)
        self.wait("api-server healthy", self._healthy, timeout)
        self.api.login()
        if self.connection_in_db:
            self.add_connection()
        for dag_id in self.dag_ids:
            self.wait(f"DAG {dag_id} parsed", partial(self._parsed, dag_id), timeout)
            self.api.unpause(dag_id)
        return self

    def add_connection(self) -> bool:
        """The emulator's connection as twitter_default in the metadata database, unless it exists already."""
        description = "The bundled X emulator, with its demo credentials (not X's)"
        return self.api.add_connection(CONN_ID, self.emulator.connection_fields(), description)

    def _airflow(self, name: str, *args: str) -> Process:
        return self.processes.start(name, [AIRFLOW, *args, "--pid", str(self.home / f"{name}.pid")], self.env)

    def start_triggerer(self) -> Process:
        self.triggerers += 1
        self.triggerer = self._airflow(f"triggerer-{self.triggerers}", "triggerer", "--skip-serve-logs")
        return self.triggerer

    def wait(self, what: str, check: Callable[[], T | None], timeout: float, interval: float = 1.0) -> T:
        """Like ``wait_until``, but fails at once if any process of the deployment died."""

        def alive_and(check: Callable[[], T | None] = check) -> T | None:
            self.processes.ensure_alive()
            return check()

        return wait_until(f"{self.name}: {what}", alive_and, timeout, interval)

    def _healthy(self) -> bool:
        try:
            health = requests.get(f"{self.api.url}/api/v2/monitor/health", timeout=5).json()
        except (requests.RequestException, ValueError):
            return False
        return bool(health["metadatabase"]["status"] == "healthy" and health["scheduler"]["status"] == "healthy")

    def _parsed(self, dag_id: str) -> bool:
        try:
            self.api.call("GET", f"/dags/{dag_id}")
        except RuntimeError:
            return False
        return True

    def stop(self) -> None:
        self.processes.stop_all()

    # -- runs ------------------------------------------------------------------------------------------------

    def trigger(self, dag_id: str, run_id: str, conf: dict[str, Any] | None = None) -> Run:
        """Trigger a run with ``conf``; by default, a DAG that takes a ``text`` param posts one naming the run
        (TaskFlow's text is fixed, its media id names the run)."""
        if conf is None:
            conf = {"text": f"deployment {run_id}"} if dag_id in TEXT_DAGS or dag_id in TEST_DAGS else {}
        self.api.trigger(dag_id, run_id, conf)
        return Run(dag_id, run_id, conf)

    def wait_finished(self, runs: Iterable[Run], timeout: float) -> list[Run]:
        """Wait until every run succeeded or failed, then read its task instances, reschedules and media id."""
        pending = list(runs)

        def all_finished() -> bool:
            for run in pending:
                if run.state not in FINISHED:
                    run.state = self.api.run_state(run.dag_id, run.run_id)
            return all(run.state in FINISHED for run in pending)

        try:
            self.wait(f"{len(pending)} runs finished", all_finished, timeout, interval=2)
        finally:
            for run in pending:
                self.collect(run)
        return pending

    def collect(self, run: Run) -> Run:
        run.tasks = self.api.task_instances(run.dag_id, run.run_id)
        # SQL: the REST API (and the CLI) list no reschedules; Airflow keeps them only in task_reschedule.
        run.reschedules = dict(
            self.postgres.query(
                self.database,
                "SELECT ti.task_id, count(tr.id) FROM task_instance ti LEFT JOIN task_reschedule tr ON tr.ti_id = ti.id"
                " WHERE ti.dag_id = %s AND ti.run_id = %s GROUP BY ti.task_id",
                (run.dag_id, run.run_id),
            )
        )
        if run.tasks.get("upload_media", {}).get("state") == "success":
            uploaded = self.api.xcom(run.dag_id, run.run_id, "upload_media")
            run.media_id = str(uploaded["media_id"])
        return run

    def task_pid(self, run: Run, task_id: str) -> int | None:
        """The pid of the task's process while it runs, as the task instance records it."""
        pid = self.api.task_instances(run.dag_id, run.run_id)[task_id]["pid"]
        return int(pid) if pid else None

    def running_trigger(self, run: Run) -> int | None:
        """The id of the trigger a triggerer runs for this run's deferred task, if any."""
        for ti in self.api.task_instances(run.dag_id, run.run_id).values():
            if (trigger := ti["trigger"]) and trigger["triggerer_id"] is not None:
                return int(trigger["id"])
        return None

    def executed(self, worker: Process, task_id: str) -> int:
        """How many times a Celery worker ran the task (each poke of a reschedule sensor is one run), per its log."""
        lines = worker.log_text().splitlines()
        return sum("Executing workload in Celery" in line and f"task_id='{task_id}'" in line for line in lines)

    def answerable(self, run: Run, task_id: str, timeout: float) -> None:
        """Wait until the scheduler has read that the task's first process ended (it deferred to ask for input).

        An answer before that resumes the task while the executor's "success" for that process is still unread,
        and Airflow then fails the task as "state changed externally" (apache/airflow#72716, docs/deployment.md).
        A person answers seconds later; a test must wait for the event itself, which the scheduler's log shows.
        """
        key = f"TaskInstanceKey(dag_id='{run.dag_id}', task_id='{task_id}', run_id='{run.run_id}', try_number=1"
        event = f"Received executor event with state success for task instance {key}"
        scheduler_log = self.processes.logs / "scheduler.log"
        self.wait(
            f"{run.run_id}: the scheduler read that {task_id} deferred",
            lambda: event in scheduler_log.read_text() or None,
            timeout,
        )

    def task_log(self, run: Run, task_id: str, try_number: int) -> str:
        path = f"dag_id={run.dag_id}/run_id={run.run_id}/task_id={task_id}/attempt={try_number}.log"
        return (self.processes.logs / "task-logs" / path).read_text()

    def task_state(self, run: Run, task_id: str) -> str | None:
        return self.api.task_instances(run.dag_id, run.run_id)[task_id]["state"]

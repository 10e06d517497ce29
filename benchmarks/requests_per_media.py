"""Requests per media, the provider against tweepy, as X (the emulator) received them.

Each flow runs against an emulator process of its own, so that every request it received belongs to that one
media, whatever the request names; the flows run side by side. The provider runs the example DAGs with
``airflow dags test`` (upload with alt text, then the wait, then the post, as a user's DAG does): a video in both
ways of waiting and one image. tweepy 4.17 runs what its user writes: ``API.media_upload`` (chunked for a video,
then its own STATUS loop), ``API.create_media_metadata`` and ``Client.create_tweet``.

tweepy only speaks https, and its ``Client`` always sends to api.twitter.com: its session here sends those
requests to the emulator instead (and refuses any other address). Its image goes chunked (``chunked=True``): its
default for an image, one v1.1 simple upload, is not modelled by the emulator, nor is v1.1 ``media/metadata/create``
(X retired v1.1 media upload in 2025), which the emulator answers 404: the request still counts as sent.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.emulator_process import EMULATOR_DEFAULTS, RunningEmulator, Tls, emulator_process
from benchmarks.upload import MiB, make_video

ROOT = Path(__file__).resolve().parents[1]
IMAGE = ROOT / "dags" / "media" / "sample.png"
ALT_TEXT = "Colour bars test pattern"
KINDS = ("INIT", "APPEND", "FINALIZE", "STATUS", "metadata", "post")
ENDPOINTS = {
    "initialize": "INIT",
    "append": "APPEND",
    "finalize": "FINALIZE",
    "status": "STATUS",
    "metadata": "metadata",
    "tweets": "post",
}
V1_METADATA = "/1.1/media/metadata/create.json"
AIRFLOW = str(Path(sys.executable).parent / "airflow")


def count(requests: list[dict[str, Any]]) -> dict[str, int]:
    """Requests by kind; v1.1 media/metadata/create, which the emulator does not model, counts as metadata."""
    kinds = Counter(
        "metadata" if r["path"] == V1_METADATA else ENDPOINTS.get(r["endpoint"] or "", "other") for r in requests
    )
    return {kind: kinds[kind] for kind in (*KINDS, "other") if kind in KINDS or kinds[kind]}


def _airflow_env(home: Path, emulator: RunningEmulator | None = None) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
    }
    return {**env, "AIRFLOW_CONN_TWITTER_DEFAULT": emulator.connection_json()} if emulator else env


def _provider_dag(workdir: Path, emulator: RunningEmulator, dag_id: str, conf: dict[str, Any]) -> None:
    """``airflow dags test`` on a copy of the migrated metadata DB (one migration for all the DAGs)."""
    home = workdir / f"airflow-requests-{dag_id}"
    env = _airflow_env(home, emulator)
    shutil.copy(workdir / "airflow-requests" / "airflow.db", home / "airflow.db")
    proc = subprocess.run([AIRFLOW, "dags", "test", dag_id, "-c", json.dumps(conf)], env=env, capture_output=True)
    if proc.returncode:
        raise RuntimeError(f"{dag_id}: {(proc.stdout + proc.stderr).decode()[-3000:]}")


def _tweepy(emulator: RunningEmulator, path: Path, category: str) -> None:
    import requests
    import tweepy

    c = EMULATOR_DEFAULTS
    auth = tweepy.OAuth1UserHandler(c.api_key, c.api_key_secret, c.access_token, c.access_token_secret)
    api = tweepy.API(auth, upload_host=emulator.host)
    media = api.media_upload(str(path), chunked=True, media_category=category)
    with contextlib.suppress(tweepy.NotFound):  # v1.1 media/metadata/create is not modelled
        api.create_media_metadata(media.media_id, ALT_TEXT)

    class ToEmulator(requests.Session):
        """tweepy's Client sends to api.twitter.com, always: here to the emulator, and nowhere else."""

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
            url = str(url).replace("https://api.twitter.com/", f"{emulator.url}/", 1)
            if not url.startswith(f"{emulator.url}/"):
                raise AssertionError(f"not the emulator: {url}")
            return super().request(method, url, *args, **kwargs)

    client = tweepy.Client(
        consumer_key=c.api_key,
        consumer_secret=c.api_key_secret,
        access_token=c.access_token,
        access_token_secret=c.access_token_secret,
    )
    client.session = ToEmulator()
    client.create_tweet(text=f"tweepy {path.name}", media_ids=[media.media_id], user_auth=True)


def run(
    workdir: Path, tls: Tls, video_mib: int = 36, processing_secs: float = 60, check_after_secs: float = 5
) -> dict[str, Any]:
    """Every flow side by side, each on its own emulator; the requests each emulator received, by kind."""
    video = make_video(workdir / f"video-{video_mib}MiB.mp4", video_mib * MiB)
    os.environ["REQUESTS_CA_BUNDLE"] = str(tls.certfile)  # tweepy's requests trust the emulator's certificate
    text = "Requests per media, measured"
    flows: dict[str, tuple[bool, Callable[[RunningEmulator], None]]] = {
        "image|provider": (False, lambda e: _provider_dag(workdir, e, "example_twitter_images", _images_conf(text))),
        "image|tweepy": (True, lambda e: _tweepy(e, IMAGE, "tweet_image")),
        "video|provider, reschedule": (
            False,
            lambda e: _provider_dag(workdir, e, "example_twitter_video", _video_conf(video, text)),
        ),
        "video|provider, deferrable": (
            False,
            lambda e: _provider_dag(workdir, e, "example_twitter_video_deferrable", _video_conf(video, text)),
        ),
        "video|tweepy": (True, lambda e: _tweepy(e, video, "tweet_video")),
    }
    subprocess.run(
        [AIRFLOW, "db", "migrate"], env=_airflow_env(workdir / "airflow-requests"), check=True, capture_output=True
    )
    lock = threading.Lock()
    counts: dict[str, dict[str, int]] = {}
    with ExitStack() as stack:
        emulators = {
            name: stack.enter_context(
                emulator_process(
                    tls if https else None, processing_secs=processing_secs, check_after_secs=check_after_secs
                )
            )
            for name, (https, _) in flows.items()
        }

        def one(name: str) -> None:
            flows[name][1](emulators[name])
            received = count(emulators[name].admin("requests"))
            with lock:
                counts[name] = received

        with ThreadPoolExecutor(len(flows)) as pool:
            list(pool.map(one, flows))
    return {
        "video_mib": video_mib,
        "processing_secs": processing_secs,
        "check_after_secs": check_after_secs,
        "counts": {name: counts[name] for name in flows},
    }


def _images_conf(text: str) -> dict[str, Any]:
    return {"images": [{"file_path": str(IMAGE), "alt_text": ALT_TEXT}], "text": text}


def _video_conf(video: Path, text: str) -> dict[str, Any]:
    return {"media_path": str(video), "text": text, "alt_text": ALT_TEXT}

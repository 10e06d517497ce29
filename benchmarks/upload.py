"""Upload throughput against tweepy, and memory held while uploading.

Both clients upload the same file to the same emulator over TLS (tweepy only speaks https): tweepy 4.x
``API.chunked_upload`` through the emulator's v1.1 endpoints, the provider through the v2 ones. Runs are
interleaved (every client once per round, several rounds) so that machine noise hits all of them alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.emulator_process import EMULATOR_DEFAULTS, RunningEmulator, Tls, emulator_process

MiB = 1024 * 1024


def make_video(path: Path, size: int) -> Path:
    """An MP4-looking file (``ftyp`` box, then random bytes): the emulator sniffs only the head."""
    if not path.exists() or path.stat().st_size != size:
        with path.open("wb") as f:
            f.write(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41")
            remaining = size - 32
            while remaining:
                block = os.urandom(min(remaining, 8 * MiB))
                f.write(block)
                remaining -= len(block)
    return path


def provider_upload(emulator: RunningEmulator, path: Path, chunk_size: int, parallel: int) -> float:
    from airflow_provider.files.media_file import inspect_media_file
    from airflow_provider.hooks.twitter import TwitterHook

    os.environ["AIRFLOW_CONN_TWITTER_DEFAULT"] = emulator.connection_json()
    hook = TwitterHook()
    media = inspect_media_file(str(path))
    started = time.perf_counter()
    hook.upload_media(media, chunk_size=chunk_size, parallel_segments=parallel)
    return time.perf_counter() - started


def tweepy_upload(emulator: RunningEmulator, path: Path, chunk_size: int) -> float:
    import tweepy

    c = EMULATOR_DEFAULTS
    auth = tweepy.OAuth1UserHandler(c.api_key, c.api_key_secret, c.access_token, c.access_token_secret)
    api = tweepy.API(auth, upload_host=emulator.host)
    started = time.perf_counter()
    api.chunked_upload(
        str(path),
        file_type="video/mp4",
        media_category="tweet_video",
        wait_for_async_finalize=False,
        chunk_size=chunk_size,
    )
    return time.perf_counter() - started


TWEEPY_DEFAULT = "tweepy, 1 MiB (its default)"
PROVIDER_DEFAULT = "provider default (4 MiB x 4 in parallel)"
PROVIDER_SEQUENTIAL = "provider, 4 MiB sequential"
CLIENTS: dict[str, Callable[[RunningEmulator, Path], float]] = {
    TWEEPY_DEFAULT: lambda e, p: tweepy_upload(e, p, 1 * MiB),
    "tweepy, 4 MiB": lambda e, p: tweepy_upload(e, p, 4 * MiB),
    PROVIDER_SEQUENTIAL: lambda e, p: provider_upload(e, p, 4 * MiB, 1),
    "provider, 4 MiB x 2 in parallel": lambda e, p: provider_upload(e, p, 4 * MiB, 2),
    PROVIDER_DEFAULT: lambda e, p: provider_upload(e, p, 4 * MiB, 4),
    "provider, 4 MiB x 8 in parallel": lambda e, p: provider_upload(e, p, 4 * MiB, 8),
}
LATENCIES_MS = (0, 40, 150)


def throughput(workdir: Path, tls: Tls, size_mib: int = 64, rounds: int = 3) -> dict[str, Any]:
    """Median MiB/s of each client at 0, 40 and 150 ms added latency (the measurements behind the default width)."""
    video = make_video(workdir / f"video-{size_mib}MiB.mp4", size_mib * MiB)
    os.environ["REQUESTS_CA_BUNDLE"] = str(tls.certfile)  # both clients use requests, which trusts this bundle
    samples: dict[tuple[int, str], list[float]] = {}
    with (
        emulator_process(tls, latency_ms=0, processing_secs=1) as zero,
        emulator_process(tls, latency_ms=40, processing_secs=1) as lan,
        emulator_process(tls, latency_ms=150, processing_secs=1) as wan,
    ):
        for _ in range(rounds):
            for latency, emulator in zip(LATENCIES_MS, (zero, lan, wan), strict=True):
                for name, upload in CLIENTS.items():
                    seconds = upload(emulator, video)
                    samples.setdefault((latency, name), []).append(size_mib / seconds)
    return {
        "size_mib": size_mib,
        "rounds": rounds,
        "mib_per_s": {f"{lat} ms|{name}": statistics.median(v) for (lat, name), v in samples.items()},
    }


def peak_rss_growth(emulator: RunningEmulator, path: Path, chunk_size: int, parallel: int) -> float:
    """MiB of resident memory above the pre-upload level, sampled every 2 ms in a fresh process."""
    code = f"""
import json, os, sys, threading, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
os.environ["AIRFLOW_CONN_TWITTER_DEFAULT"] = {emulator.connection_json()!r}
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.files.media_file import inspect_media_file
page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page
hook = TwitterHook(); media = inspect_media_file({str(path)!r})
hook.get_me()  # connection, session and TLS set up before the baseline
base = peak = rss(); done = False
def sample():
    global peak
    while not done:
        peak = max(peak, rss()); time.sleep(0.002)
t = threading.Thread(target=sample); t.start()
hook.upload_media(media, chunk_size={chunk_size}, parallel_segments={parallel})
done = True; t.join()
print(json.dumps({{"growth": (peak - base) / {MiB}}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["growth"])


def memory(workdir: Path, tls: Tls) -> list[dict[str, Any]]:
    """Peak RSS growth for 64 and 256 MiB files, sequential and 4 in parallel, against the target."""
    os.environ["REQUESTS_CA_BUNDLE"] = str(tls.certfile)
    rows = []
    with emulator_process(tls, processing_secs=1) as emulator:
        for size_mib in (64, 256):
            video = make_video(workdir / f"video-{size_mib}MiB.mp4", size_mib * MiB)
            for parallel in (1, 4):
                growth = peak_rss_growth(emulator, video, 4 * MiB, parallel)
                target = (parallel + 1) * 4 + 20
                rows.append({"size_mib": size_mib, "parallel": parallel, "growth_mib": growth, "target_mib": target})
    return rows

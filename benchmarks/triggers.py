"""1,000 MediaProcessingTriggers in one event loop, as in a triggerer, against one emulator.

Media are created through the real upload endpoints first (so each is really processing), then every trigger
runs concurrently. Measured: how many finish with ``succeeded``, peak RSS growth of the process, CPU seconds,
and late wake-ups: sleeps that ended more than 100 ms after they were due.
"""

from __future__ import annotations

import asyncio
import os
import resource
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.emulator_process import emulator_process

PAGE = os.sysconf("SC_PAGE_SIZE")
LATE_SECS = 0.1


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def _create_media(count: int, video: Path) -> list[str]:
    from airflow_provider.hooks.twitter import TwitterHook
    from airflow_provider.media import inspect_media_file

    hook = TwitterHook()
    media = inspect_media_file(str(video))
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: str(hook.upload_media(media)["id"]), range(count)))


def run(workdir: Path, count: int = 1000, processing_secs: float = 20, check_after_secs: float = 2) -> dict[str, Any]:
    from airflow_provider.triggers.media import MediaProcessingTrigger

    video = workdir / "tiny.mp4"
    video.write_bytes(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41" + bytes(2048))
    with emulator_process(processing_secs=processing_secs, check_after_secs=check_after_secs) as emulator:
        os.environ["AIRFLOW_CONN_TWITTER_DEFAULT"] = emulator.connection_json()
        media_ids = _create_media(count, video)
        late: list[float] = []
        real_sleep = asyncio.sleep

        async def timed_sleep(delay: float) -> None:
            due = time.monotonic() + delay
            await real_sleep(delay)
            if (overslept := time.monotonic() - due) > LATE_SECS:
                late.append(overslept)

        async def all_triggers() -> list[dict[str, Any]]:
            end = time.time() + processing_secs * 5
            every = check_after_secs
            triggers = [
                MediaProcessingTrigger(media_id=m, end_time=end, poll_at=time.time() + every, poll_interval=every)
                for m in media_ids
            ]

            async def first(trigger: MediaProcessingTrigger) -> dict[str, Any]:
                async for event in trigger.run():
                    return dict(event.payload)
                return {"status": "no event"}

            return await asyncio.gather(*(first(t) for t in triggers))

        base, peak, done = _rss(), _rss(), False

        def sample() -> None:
            nonlocal peak
            while not done:
                peak = max(peak, _rss())
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        setattr(asyncio, "sleep", timed_sleep)  # noqa: B010  (count late wake-ups of every sleep)
        try:
            events = asyncio.run(all_triggers())
        finally:
            setattr(asyncio, "sleep", real_sleep)  # noqa: B010
            done = True
            sampler.join()
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        calls = sum(1 for r in emulator.admin("requests") if r["path"] == "/2/media/upload")
    return {
        "triggers": count,
        "succeeded": sum(e["status"] == "succeeded" for e in events),
        "outcomes": sorted({e["status"] for e in events}),
        "wall_secs": wall,
        "cpu_secs": (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
        "peak_rss_growth_mib": (peak - base) / 2**20,
        "peak_rss_mib": peak / 2**20,
        "late_wakeups": len(late),
        "worst_late_secs": max(late, default=0.0),
        "status_calls": calls,
        "processing_secs": processing_secs,
        "check_after_secs": check_after_secs,
    }

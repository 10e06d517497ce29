"""The triggerer of the trigger benchmark (benchmarks/triggers.py), in its own process: one asyncio loop that starts a
MediaProcessingTrigger for each line ``<conn_id> <media_id> <poll_at>`` read from stdin, as a triggerer picks up
tasks that deferred after their upload, and runs them all to their event.

``python -m benchmarks.triggerer_process <timeout_secs> <result_file> <conn_id>=<media_id> ...``: first polls each
given media once on its connection, so that what a running triggerer has already done (imports, the connections
read, the HTTP pool made) is not counted; then writes ``ready`` to the file (the parent takes its baseline RSS
then), and at the end replaces it with JSON: the count of each outcome and the process's CPU seconds since
``ready``. Its stdout and stderr are its log.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.triggers.media import MediaProcessingTrigger


def _cpu_secs() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _first_event(trigger: MediaProcessingTrigger) -> str:
    async for event in trigger.run():
        return str(event.payload["status"])
    return "no event"


async def _run(timeout_secs: float, warm_up: list[str], ready: Path) -> tuple[Counter[str], float]:
    for pair in warm_up:
        conn_id, media_id = pair.split("=")
        await TwitterHook(conn_id).aget_upload_status(media_id)
    ready.write_text("ready")
    cpu = _cpu_secs()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    running: list[asyncio.Task[str]] = []
    while line := await reader.readline():
        conn_id, media_id, poll_at = line.decode().split()
        trigger = MediaProcessingTrigger(
            media_id=media_id, twitter_conn_id=conn_id, poll_at=float(poll_at), end_time=float(poll_at) + timeout_secs
        )
        running.append(asyncio.create_task(_first_event(trigger)))
    return Counter(await asyncio.gather(*running)), _cpu_secs() - cpu


def main() -> None:
    timeout_secs, result_file = float(sys.argv[1]), Path(sys.argv[2])
    outcomes, cpu_secs = asyncio.run(_run(timeout_secs, sys.argv[3:], result_file))
    result: dict[str, Any] = {"outcomes": dict(outcomes), "cpu_secs": cpu_secs}
    result_file.write_text(json.dumps(result))


if __name__ == "__main__":
    main()

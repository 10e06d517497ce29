"""Peak resident memory while one media uploads, measured in a fresh process: the same upload from a local file and
from object storage, to show that an object is streamed chunk by chunk as a file is, never downloaded whole.

``python -m tests.e2e.upload_memory --size-mib 200`` prints both for a video of that size, against an emulator and
an S3-compatible server it starts itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from airflow_provider.client.uploads import DEFAULT_CHUNK_SIZE, DEFAULT_PARALLEL_SEGMENTS
from airflow_provider.rules.media import MiB

ROOT = Path(__file__).resolve().parents[2]
# The upload alone is measured: the file is checked, and the connections, the HTTP session and (for an object)
# the storage filesystem are set up, before the baseline is taken. RSS is sampled every 2 ms.
_MEASURE = """
import json, sys, threading, time
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.files.media_file import inspect_media_file
page = __import__("os").sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page
media = inspect_media_file(sys.argv[1])
hook = TwitterHook()
hook.get_me()
base = peak = rss()
done = False
def sample():
    global peak
    while not done:
        peak = max(peak, rss())
        time.sleep(0.002)
sampler = threading.Thread(target=sample)
sampler.start()
hook.upload_media(media, chunk_size=int(sys.argv[2]), parallel_segments=int(sys.argv[3]))
done = True
sampler.join()
print(json.dumps({"growth_mib": (peak - base) / 2**20, "peak_mib": peak / 2**20}))
"""


def peak_rss_growth(
    file_path: str,
    env: dict[str, str],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
) -> dict[str, float]:
    """MiB of resident memory above the level before the upload (``growth_mib``), and the process's peak."""
    command = [sys.executable, "-c", _MEASURE, file_path, str(chunk_size), str(parallel_segments)]
    out = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def write_video(path: Path, size: int) -> Path:
    """An MP4 of ``size`` bytes that lasts 10 s by its header: ``ftyp``, ``moov``, then random media data."""
    from tests.unit.mp4 import FTYP_BOX, box, mvhd

    head = FTYP_BOX + box(b"moov", mvhd(1000, 10_000))
    with path.open("wb") as f:
        f.write(head + (size - len(head)).to_bytes(4, "big") + b"mdat")
        remaining = size - len(head) - 8
        while remaining:
            block = os.urandom(min(remaining, 8 * MiB))
            f.write(block)
            remaining -= len(block)
    return path


def main() -> None:
    from airflow_provider.emulator import EmulatorServer
    from tests.e2e.s3_server import aws_connection, s3_client, s3_server

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--parallel", type=int, nargs="+", default=[1, DEFAULT_PARALLEL_SEGMENTS])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmulatorServer() as emulator, s3_server(Path(tmp, "moto.log")) as s3:
        video = write_video(Path(tmp, "video.mp4"), args.size_mib * MiB)
        s3_client(s3).create_bucket(Bucket="media")
        s3_client(s3).upload_file(str(video), "media", "video.mp4")
        env = {
            **os.environ,
            "AIRFLOW_HOME": tmp,
            "AIRFLOW_CONN_TWITTER_DEFAULT": emulator.connection_json(),
            "AIRFLOW_CONN_AWS_MEDIA": aws_connection(s3),
        }
        for parallel in args.parallel:
            for label, file_path in (("local file", str(video)), ("S3 object", "s3://aws_media@media/video.mp4")):
                result = peak_rss_growth(file_path, env, parallel_segments=parallel)
                print(
                    f"{args.size_mib} MiB, {parallel} in flight, {label}: peak RSS growth "
                    f"{result['growth_mib']:.1f} MiB (process peak {result['peak_mib']:.0f} MiB)",
                    flush=True,
                )


if __name__ == "__main__":
    main()

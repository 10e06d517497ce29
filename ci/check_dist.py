"""Build the sdist and the wheel as a release would, check them with ``twine check --strict``, and check what each
holds, so that what reaches PyPI is the package and its licence, not the test suites.

Run by ``make dist`` (``python ci/check_dist.py [--out-dir DIR]``, default ``dist/``, left there for an upload).
Builds with ``uv build``: the sdist first, then the wheel from the unpacked sdist, so a file the sdist forgot fails
the wheel too. Checks:

- wheel: ``airflow_provider/`` exactly as in the checkout (so ``py.typed``, ``rules/tlds.txt`` and the emulator, the
  ``[emulator]`` extra's code, are there), nothing else but its ``.dist-info``, which holds ``licenses/LICENSE`` and
  ``licenses/NOTICE`` as in the checkout, the ``apache_airflow_provider`` entry point Airflow discovers providers by,
  and the ``emulator`` extra with the requirements ``pyproject.toml`` gives it;
- sdist: ``airflow_provider/``, the top-level ``dags/`` (with ``dags/media/``) and ``docs/`` exactly as in the
  checkout, the top-level files listed in ``SDIST_FILES``, and nothing else: no ``tests/``, ``benchmarks/``,
  ``ci/`` or ``.ci/``.

Prints each archive's size and contents (files and bytes per directory), then each failure, and exits 1 on any.
"""

from __future__ import annotations

import argparse
import configparser
import email.parser
import os
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement  # twine's dependency, so in the dev environment

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "airflow_provider"
# Shipped in the sdist as they are in the checkout (compiled files aside).
SDIST_TREES = (PACKAGE, "dags", "docs")
# The sdist's top-level files: hatchling adds pyproject.toml, the readme, the license-files and .gitignore itself
# (the last so that a build from the sdist ignores what the checkout ignores); PKG-INFO is the sdist's metadata.
SDIST_FILES = frozenset({"pyproject.toml", "README.md", "LICENSE", "NOTICE", "CHANGELOG.md", ".gitignore", "PKG-INFO"})
# Named in the failure when they leak in, whatever SDIST_FILES says.
NEVER_SHIPPED = ("tests", "benchmarks", "ci", ".ci")
LICENSE_FILES = ("LICENSE", "NOTICE")
# Required in the wheel even if the checkout lost them: the typing marker Typing :: Typed promises, the data
# rules/text.py reads, the provider info Airflow loads and the [emulator] extra's entry.
WHEEL_REQUIRED = (
    f"{PACKAGE}/py.typed",
    f"{PACKAGE}/rules/tlds.txt",
    f"{PACKAGE}/get_provider_info.py",
    f"{PACKAGE}/emulator/__main__.py",
)
ENTRY_POINT_GROUP = "apache_airflow_provider"
ENTRY_POINT = "provider_info = airflow_provider.get_provider_info:get_provider_info"


def checkout_files(tree: str) -> dict[str, bytes]:
    """Files under ``tree`` in the checkout, as hatchling ships them: without Python's caches."""
    return {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for path in sorted((ROOT / tree).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def under(files: Mapping[str, bytes], tree: str) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.startswith(f"{tree}/")}


def compare(what: str, shipped: Mapping[str, bytes], expected: Mapping[str, bytes]) -> list[str]:
    """Missing, unexpected and differing files of ``shipped`` against ``expected``, as failures."""
    failures = [f"{what}: missing {name}" for name in sorted(expected.keys() - shipped.keys())]
    failures += [f"{what}: unexpected {name}" for name in sorted(shipped.keys() - expected.keys())]
    failures += [
        f"{what}: {name} differs from the checkout's"
        for name in sorted(expected.keys() & shipped.keys())
        if shipped[name] != expected[name]
    ]
    return failures


def read_wheel(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def read_sdist(path: Path) -> dict[str, bytes]:
    """The sdist's files, named relative to its top directory (``airflow_provider_twitter-0.1.0/``)."""
    files: dict[str, bytes] = {}
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            if member.isfile():
                data = archive.extractfile(member)
                assert data is not None
                files[PurePosixPath(*PurePosixPath(member.name).parts[1:]).as_posix()] = data.read()
    return files


def emulator_requirements() -> set[str]:
    """The ``[emulator]`` extra's requirements as ``pyproject.toml`` declares them, normalised."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {str(Requirement(text)) for text in pyproject["project"]["optional-dependencies"]["emulator"]}


def extra_requirements(requires_dist: Iterable[str], extra: str) -> set[str]:
    """The wheel's requirements that only ``extra`` brings, normalised and without their marker."""
    found = set()
    for text in requires_dist:
        requirement = Requirement(text)
        marker, requirement.marker = requirement.marker, None
        if marker is not None and marker.evaluate({"extra": extra}) and not marker.evaluate({"extra": ""}):
            found.add(str(requirement))
    return found


def check_wheel(files: Mapping[str, bytes]) -> list[str]:
    dist_infos = {name.split("/", 1)[0] for name in files if name.split("/", 1)[0].endswith(".dist-info")}
    if len(dist_infos) != 1:
        return [f"wheel: expected one .dist-info directory, found {sorted(dist_infos)}"]
    (dist_info,) = dist_infos
    failures = [f"wheel: missing {name}" for name in WHEEL_REQUIRED if name not in files]
    failures += compare("wheel", under(files, PACKAGE), checkout_files(PACKAGE))
    failures += [
        f"wheel: unexpected {name} (only {PACKAGE}/ and {dist_info}/ belong in the wheel)"
        for name in sorted(files)
        if not name.startswith((f"{PACKAGE}/", f"{dist_info}/"))
    ]
    failures += compare(
        "wheel",
        {name: data for name, data in files.items() if name.startswith(f"{dist_info}/licenses/")},
        {f"{dist_info}/licenses/{name}": (ROOT / name).read_bytes() for name in LICENSE_FILES},
    )

    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.read_string(files.get(f"{dist_info}/entry_points.txt", b"").decode())
    name, _, value = ENTRY_POINT.partition(" = ")
    if not entry_points.has_section(ENTRY_POINT_GROUP) or entry_points[ENTRY_POINT_GROUP].get(name) != value:
        failures.append(f"wheel: entry_points.txt lacks [{ENTRY_POINT_GROUP}] {ENTRY_POINT}")

    metadata = email.parser.BytesParser().parsebytes(files.get(f"{dist_info}/METADATA", b""))
    if "emulator" not in metadata.get_all("Provides-Extra", []):
        failures.append("wheel: METADATA has no Provides-Extra: emulator")
    shipped, declared = extra_requirements(metadata.get_all("Requires-Dist", []), "emulator"), emulator_requirements()
    if shipped != declared:
        failures.append(f"wheel: the emulator extra requires {sorted(shipped)}, pyproject.toml {sorted(declared)}")
    if sorted(metadata.get_all("License-File", [])) != sorted(LICENSE_FILES):
        failures.append(f"wheel: METADATA License-File is {metadata.get_all('License-File')}, not {LICENSE_FILES}")
    return failures


def check_sdist(files: Mapping[str, bytes]) -> list[str]:
    failures: list[str] = []
    for tree in SDIST_TREES:
        failures += compare("sdist", under(files, tree), checkout_files(tree))
    failures += [f"sdist: missing {name}" for name in sorted(SDIST_FILES - files.keys())]
    for name in sorted(files):
        top = name.split("/", 1)[0]
        if top in NEVER_SHIPPED:
            failures.append(f"sdist: {name} is from {top}/, which is not shipped")
        elif "/" not in name and name not in SDIST_FILES:
            failures.append(f"sdist: unexpected top-level file {name}")
        elif "/" in name and top not in SDIST_TREES:
            failures.append(f"sdist: unexpected {name} (its directory is not one of {SDIST_TREES})")
    return failures


def contents(files: Mapping[str, bytes]) -> Iterable[str]:
    """One line per directory (files and bytes directly in it), top-level files on their own."""
    directories: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, data in files.items():
        directory = name.rsplit("/", 1)[0] + "/" if "/" in name else name
        directories[directory][0] += 1
        directories[directory][1] += len(data)
    width = max(len(directory) for directory in directories)
    for directory, (count, size) in sorted(directories.items()):
        count_text = f"{count} file{'s' if count > 1 else ''}" if directory.endswith("/") else ""
        yield f"  {directory:<{width}}  {count_text:>9}  {size / 1024:8.1f} KiB"


def build(out_dir: Path) -> tuple[Path, Path]:
    """``uv build`` into ``out_dir``, emptied of earlier builds of this project first: (sdist, wheel)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("airflow_provider_twitter-*"):
        old.unlink()
    uv = os.environ.get("UV", str(ROOT / ".tools" / "bin" / "uv"))
    subprocess.run([uv, "build", "--quiet", "--out-dir", str(out_dir), str(ROOT)], check=True)
    (sdist,) = out_dir.glob("airflow_provider_twitter-*.tar.gz")
    (wheel,) = out_dir.glob("airflow_provider_twitter-*.whl")
    return sdist, wheel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "dist", help="where to build (default: dist/)")
    args = parser.parse_args()
    start = time.monotonic()
    sdist, wheel = build(args.out_dir.resolve())
    twine = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)])

    failures = [] if twine.returncode == 0 else [f"twine check --strict failed (exit {twine.returncode})"]
    for kind, path, files, check in (
        ("sdist", sdist, read_sdist(sdist), check_sdist),
        ("wheel", wheel, read_wheel(wheel), check_wheel),
    ):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        unpacked = sum(map(len, files.values())) / 1024
        print(f"{kind} {shown}: {path.stat().st_size / 1024:.1f} KiB, {len(files)} files, {unpacked:.1f} KiB unpacked")
        print("\n".join(contents(files)))
        failures += check(files)

    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    verdict = f"{len(failures)} problem(s)" if failures else "both archives as expected"
    print(f"dist: {verdict}, in {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

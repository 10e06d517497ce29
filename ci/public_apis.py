"""Fail on any private name of another package that the product uses: the next release of Airflow or httpx may
rename or remove it without notice.

Checked in every module of ``airflow_provider`` but the emulator (an optional extra, which imports no Airflow):

- an import whose module path or imported name has a part that starts with an underscore (``from httpx._utils
  import ...``), or that reaches into ``airflow.sdk.execution_time`` (the Task SDK's runtime, no user API);
- an attribute with a leading underscore read from anything but ``self`` or ``cls`` (``client._transport_for_url``),
  except the public methods of named tuples (``_replace``, ``_asdict``, ``_fields``, ``_make``);
- a method with a leading underscore that overrides one of a base class from another package
  (``BaseSensorOperator._get_next_poke_interval``): found by importing the modules and walking each class's MRO.

Run by ``make lint``; prints each finding as ``path:line: what`` and exits 1 when there is any.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "airflow_provider"
SKIPPED = ("airflow_provider/emulator/",)
BANNED_MODULES = ("airflow.sdk.execution_time",)
NAMEDTUPLE_METHODS = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})
METHODS = (types.FunctionType, classmethod, staticmethod, property)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def product_files() -> list[Path]:
    return sorted(
        path
        for path in (ROOT / PACKAGE).rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(SKIPPED) and path.name != "__main__.py"
    )


def static_findings(path: Path) -> Iterator[str]:
    where = path.relative_to(ROOT)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(where))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith(PACKAGE) or node.module == "__future__":
                continue
            if node.module.startswith(BANNED_MODULES) or any(_private(p) for p in node.module.split(".")):
                yield f"{where}:{node.lineno}: imports from the private module {node.module}"
            for alias in node.names:
                if _private(alias.name):
                    yield f"{where}:{node.lineno}: imports the private name {node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE):
                    continue
                if alias.name.startswith(BANNED_MODULES) or any(_private(p) for p in alias.name.split(".")):
                    yield f"{where}:{node.lineno}: imports the private module {alias.name}"
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in NAMEDTUPLE_METHODS:
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                yield f"{where}:{node.lineno}: reads the private attribute {ast.unparse(node)}"


def override_findings(path: Path) -> Iterator[str]:
    """Methods with a leading underscore that a class of this module defines over a base of another package's."""
    relative = path.relative_to(ROOT).with_suffix("")
    module_name = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
    module = importlib.import_module(module_name)
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module_name:
            continue
        foreign = [base for base in cls.__mro__[1:] if not base.__module__.startswith(PACKAGE)]
        for name, value in cls.__dict__.items():
            if not _private(name) or not isinstance(value, METHODS):  # not _abc_impl and such, set by metaclasses
                continue
            for base in foreign:
                if name in base.__dict__:
                    function: Any = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
                    line = inspect.getsourcelines(function)[1]
                    where = path.relative_to(ROOT)
                    yield f"{where}:{line}: {cls.__name__}.{name} overrides the private {base.__qualname__}.{name}"
                    break


def main() -> int:
    sys.path.insert(0, str(ROOT))
    findings = [finding for path in product_files() for finding in static_findings(path)]
    findings += [finding for path in product_files() for finding in override_findings(path)]
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} use(s) of another package's private names: use its public API (docs/architecture.md).")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

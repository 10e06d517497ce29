"""The tests mirror the source: ``airflow_provider/<path>/<module>.py`` is tested by
``tests/unit/<path>/test_<module>.py``, so that a reader finds a module's tests where the module is, and a module
without tests shows.

Outside the rule: the emulator (tested by ``tests/emulator``, one module per rule of X it answers), package faces
(``__init__.py``) and command entry points (``__main__.py``, whose code lives in a tested module).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ROOT / "airflow_provider"
TESTS = ROOT / "tests" / "unit"
# Test modules about the whole provider rather than one module: docs/errors.md's table of refused inputs, this file,
# the example DAGs and the benchmark figures quoted in the docs.
CROSS_CUTTING = {"test_bad_inputs.py", "test_layout.py", "test_example_approval.py", "test_benchmark_figures.py"}


def product_modules() -> set[Path]:
    return {
        path.relative_to(PRODUCT)
        for path in PRODUCT.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and "emulator" not in path.relative_to(PRODUCT).parts
    }


def unit_test_modules() -> set[Path]:
    return {path.relative_to(TESTS) for path in TESTS.rglob("test_*.py")}


def test_every_product_module_has_its_test_module() -> None:
    missing = sorted(
        f"airflow_provider/{module} -> tests/unit/{module.with_name(f'test_{module.name}')}"
        for module in product_modules()
        if module.with_name(f"test_{module.name}") not in unit_test_modules()
    )
    assert missing == []


def test_every_test_module_names_a_product_module() -> None:
    """A test module at a path no product module has is a test that lost its module (or sits in the wrong place)."""
    modules = product_modules()
    orphans = sorted(
        f"tests/unit/{test}"
        for test in unit_test_modules()
        if test.name not in CROSS_CUTTING
        and test.with_name(test.name.removeprefix("test_")) not in modules
        and not any(test.name.startswith(f"test_{m.stem}_") and test.parent == m.parent for m in modules)
    )
    assert orphans == []

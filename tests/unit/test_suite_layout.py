"""The suite's own layout: nothing imports a test module.

Importing a test module runs its module code and, with ``from ... import *`` or
a fixture, its tests' setup in another module's run: the two modules then pass
or fail together and depend on collection order. Shared builders belong in
tests/factories/, helpers that build nothing in tests/support/, and shared
fixtures in a conftest.py.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and (parts[-1].startswith("test_") or parts[-1] == "conftest")


def _imported_modules(path: Path, root: Path):
    """Every module an import statement in ``path`` names, relative ones resolved."""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            # `from tests.producers import test_workspace` names the module as an attribute.
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _test_module_imports(paths, root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        for lineno, name in _imported_modules(path, root):
            if _is_test_module(name):
                found.append(f"{path.relative_to(root)}:{lineno} imports {name}")
    return sorted(found)


def test_no_module_of_the_suite_imports_a_test_module():
    paths = sorted(TESTS.rglob("*.py"))
    assert any(p.name.startswith("test_") for p in paths)
    assert _test_module_imports(paths) == []


def test_the_guard_sees_absolute_relative_attribute_and_nested_imports(tmp_path):
    package = tmp_path / "tests" / "app"
    package.mkdir(parents=True)
    offender = package / "test_offender.py"
    offender.write_text(
        "from tests.other.test_x import helper\n"
        "from tests.other import test_y\n"
        "from .test_z import fixture\n"
        "from . import conftest\n"
        "import tests.other.test_w\n"
        "def later():\n"
        "    from tests.other.test_v import thing\n"
        "from tests.factories import ProducerFactory\n"
        "from tests.support.threads import run_concurrently\n",
        encoding="utf-8",
    )

    found = _test_module_imports([offender], root=tmp_path)

    assert found == [
        "tests/app/test_offender.py:1 imports tests.other.test_x",
        "tests/app/test_offender.py:2 imports tests.other.test_y",
        "tests/app/test_offender.py:3 imports tests.app.test_z",
        "tests/app/test_offender.py:4 imports tests.app.conftest",
        "tests/app/test_offender.py:5 imports tests.other.test_w",
        "tests/app/test_offender.py:7 imports tests.other.test_v",
    ]

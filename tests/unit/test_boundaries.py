"""Pin the dependency rule: schemas <- streams.core <- streams.adapters <- streams.cli.

streams/core must stay pure: no Kafka or Faust clients, no environment, no file I/O.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted((ROOT / "streams" / "core").glob("*.py"))
SCHEMAS = sorted((ROOT / "schemas").glob("*.py"))
FORBIDDEN_IN_CORE = {"faust", "aiokafka", "kafka", "mode", "streams.adapters", "streams.cli",
                     "streams.commands", "streams.settings", "requests", "aiohttp", "subprocess"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _forbidden(name: str, banned: set[str]) -> bool:
    return any(name == b or name.startswith(b + ".") for b in banned)


def test_core_modules_exist():
    assert CORE, "streams/core has no modules"


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_imports_no_io_frameworks(path):
    bad = sorted(n for n in _imports(path) if _forbidden(n, FORBIDDEN_IN_CORE))
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_reads_no_environment_and_opens_no_files(path):
    source = path.read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            pytest.fail(f"{path.name}:{node.lineno} reads the environment")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            pytest.fail(f"{path.name}:{node.lineno} opens a file")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schemas_import_nothing_of_ours(path):
    bad = sorted(n for n in _imports(path) if _forbidden(n, {"streams"}))
    assert not bad, f"schemas/{path.name} imports {bad}"

"""Pin the dependency rule: schemas <- streams.core <- streams.adapters <- streams.cli.

streams/core must stay pure: no Kafka or Faust clients, no environment, no file I/O.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted((ROOT / "streams" / "core").glob("*.py"))
SCHEMAS = sorted((ROOT / "schemas").glob("*.py"))
FORBIDDEN_IN_CORE = {
    "faust",
    "aiokafka",
    "kafka",
    "mode",
    "streams.adapters",
    "streams.cli",
    "streams.commands",
    "streams.settings",
    "requests",
    "aiohttp",
    "subprocess",
}


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


def _names_codebook(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "codebook") or (
        isinstance(node, ast.Attribute) and node.attr == "codebook"
    )


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_reads_the_codebook_by_its_typed_fields(path):
    # streams.codebook.Codebook is a frozen dataclass of typed indexes: no getattr defaults on it
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and _names_codebook(node.args[0])
        ):
            pytest.fail(f"{path.name}:{node.lineno} reads the codebook through getattr")


def test_every_codebook_field_is_typed():
    from streams.codebook import Codebook

    untyped = {name: kind for name, kind in Codebook.__annotations__.items() if "Any" in str(kind)}
    assert Codebook.__dataclass_params__.frozen
    assert not untyped, f"Codebook fields typed Any: {untyped}"


# --- the layer rule: schemas ← codebook ← core ← adapters ← commands -----------------------------

# Lower numbers are lower layers; a module may import its own layer and those below, never above.
# Every import counts: module level, inside functions, and under TYPE_CHECKING.
LAYERS = [
    ("schemas", 0),
    ("streams.errors", 0),
    ("streams", 0),  # streams/__init__: the version only
    ("streams.settings", 1),
    ("streams.codebook", 2),
    ("streams.core", 3),
    ("streams.adapters", 4),
    ("streams.app", 5),  # the composition root of the worker
    ("streams.commands", 6),
    ("streams.cli", 7),
]
SOURCES = sorted((ROOT / "streams").rglob("*.py")) + SCHEMAS


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for prefix, layer in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    return None if best is None else best[1]


def _all_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == "schemas" or n.startswith(("schemas.", "streams"))}


def _own(name: str) -> str | None:
    """The module of ours ``name`` is, or is in (``a.b.func`` → ``a.b``)."""
    while name:
        path = ROOT / Path(*name.split("."))
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            return name
        name = name.rpartition(".")[0]
    return None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        here = _module(path)
        graph[here] = {m for n in _all_imports(path) if (m := _own(n)) and m != here}
    return graph


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for module, imported in _graph().items():
        for other in imported:
            if _layer(other) is not None and _layer(module) is not None and _layer(other) > _layer(module):
                upward.append(f"{module} -> {other}")
    assert not upward, "imports that run up the layers: " + ", ".join(sorted(upward))


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_circle():
    """No module imports, directly or through others, a module that imports it (issue 13):
    type-only imports count, so a shared type lives in a module of its own."""
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [sorted(c) for c in _circles(graph)] == [["a", "b", "c"]]


# --- one topic-admin module ----------------------------------------------------------------------

TOPIC_ADMIN = ROOT / "streams" / "adapters" / "topic_admin.py"
PYTHON_TREES = [ROOT / "streams", ROOT / "tests", ROOT / "bench", ROOT / "schemas"]


def _kafka_topic_creation(path: Path) -> list[str]:
    """Where ``path`` creates topics with kafka-python itself rather than through ``topic_admin``.

    kafka-python's ``create_topics`` always takes the topics to create, so a call
    ``x.create_topics(...)`` with arguments is one, unless ``x`` is the ``topic_admin``
    module; ``StreamEnv.create_topics()`` (no arguments) calls ``topic_admin`` itself.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kafka"):
            found += [
                f"{node.lineno}: imports {a.name}"
                for a in node.names
                if a.name in {"NewTopic", "CreateTopicsRequest"}
            ]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "create_topics"
            and (node.args or node.keywords)
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "topic_admin")
        ):
            found.append(f"{node.lineno}: calls {ast.unparse(node.func)}(...)")
    return found


def test_topics_are_created_by_topic_admin_only():
    files = [p for tree in PYTHON_TREES for p in sorted(tree.rglob("*.py")) if p != TOPIC_ADMIN]
    assert len(files) > 100
    elsewhere = [f"{p.relative_to(ROOT)}:{where}" for p in files for where in _kafka_topic_creation(p)]
    assert not elsewhere, "topics created outside streams/adapters/topic_admin.py: " + "; ".join(elsewhere)


def test_the_topic_admin_check_sees_a_direct_create_topics(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from kafka.admin import NewTopic\nadmin.create_topics([NewTopic('t', 1, 1)])\n"
        "topic_admin.create_topics(admin, specs)\nenv.create_topics()\n"
    )
    assert _kafka_topic_creation(sample) == ["1: imports NewTopic", "2: calls admin.create_topics(...)"]

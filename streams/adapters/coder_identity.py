"""Which coder codes the events: its version, and a fingerprint of what it loads (issue 18).

An event id includes the coder version, so two coders that code differently must never
share a version: events of the same id would then differ in content, and nothing
downstream could tell which is current. The fingerprint is a sha256 over everything
that decides the coder's output:

- the coder's Python modules: the import closure of ``streams.core.pipeline`` and of the
  codebook loaders, inside ``streams/`` (comment-only and blank lines ignored, so a
  comment edit is no change; anything else is);
- wirewatch's own dictionaries (``streams/codebook/data/*.txt`` the loaders read);
- the installed third-party files the coder reads (``use = "coder"`` in ``sources.toml``),
  as they are on disk (``codebook.dir`` can point elsewhere);
- the spaCy model's name and installed version;
- for a coder from ``coder.factory``, its module's source.

``streams/coder_versions.json`` records the fingerprint of every built-in coder version.
The built-in version (``CODER_VERSION``) must match its record: a unit test fails, and
the worker and ``wirewatch replay`` refuse to start, when the coder changed but its version
did not. ``wirewatch coder lock`` records a new version's fingerprint (after the bump).
A coder that is not the built-in one (other dictionaries, another model, a factory)
declares its own version (``coder.version``); the fingerprint then travels on every
event set record (``schemas.event_sets``), where ``wirewatch replay`` checks it.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.errors import ConfigError

if TYPE_CHECKING:
    from streams.settings import Settings

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # streams/
REPO_ROOT = PACKAGE_ROOT.parent
LOCK_FILE = PACKAGE_ROOT / "coder_versions.json"
# Where the closure starts: the chain that codes, the codebook loaders, the spaCy set-up.
ENTRY_MODULES = ("streams.core.pipeline", "streams.codebook", "streams.adapters.nlp")
# Parts of streams/ that are I/O plumbing, not coding behaviour, though the loaders import them.
NOT_CODER = frozenset(
    {
        "streams.errors",
        "streams.settings",
        "streams.codebook.install",
        "streams.codebook.manifest",
        "streams.codebook.location",
    }
)
LOCK_COMMAND = "wirewatch coder lock"


class CoderVersionError(ConfigError):
    """The coder changed without a new version (or a version is recorded with another fingerprint)."""

    code = "WW110"


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    parts: dict[str, str]

    @property
    def short(self) -> str:
        return self.digest[:12]

    def changed_parts(self, recorded: dict[str, str]) -> list[str]:
        names = sorted(set(self.parts) | set(recorded))
        return [n for n in names if self.parts.get(n) != recorded.get(n)]


# --- what goes into the fingerprint --------------------------------------------------------------


def _module_file(name: str) -> Path | None:
    """The file of a ``streams.…`` module, found by path (nothing is imported); None if not one."""
    parts = name.split(".")
    if parts[0] != "streams":
        return None
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return {n for n in found if n == "streams" or n.startswith("streams.")}


def coder_modules(entries: tuple[str, ...] = ENTRY_MODULES) -> dict[str, Path]:
    """Module name → file, for every wirewatch module the coder's entry modules import (transitively)."""
    out: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in out or name in NOT_CODER:
            continue
        path = _module_file(name)
        if path is None:
            continue
        out[name] = path
        todo.extend(_imports(path, name))
    return dict(sorted(out.items()))


def source_digest(path: Path) -> str:
    """sha256 of a Python file without its blank and comment-only lines (comment edits are no change)."""
    lines = [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]
    kept = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: Path) -> str:
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def model_version(model: str) -> str:
    """The installed version of a spaCy model package (metadata only: spaCy is not imported)."""
    for dist in (model, model.replace("_", "-")):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not-installed"


def fingerprint_parts(settings: Settings, *, factory_module: str | None = None) -> dict[str, str]:
    from streams.codebook import DATA_DIR
    from streams.codebook.location import codebook_dir
    from streams.codebook.manifest import load_manifest

    parts: dict[str, str] = {}
    for _, path in coder_modules().items():
        parts[f"module:{_relative(path)}"] = source_digest(path)
    for path in sorted(DATA_DIR.glob("*.txt")):
        if not path.name.endswith(".LICENSE.txt"):
            parts[f"data:{path.name}"] = file_digest(path)
    folder = codebook_dir(settings.codebook)
    for entry in load_manifest():
        if entry.use == "coder":
            installed = folder / entry.path
            parts[f"codebook:{entry.path}"] = file_digest(installed) if installed.is_file() else "missing"
    parts[f"model:{settings.nlp.model}"] = model_version(settings.nlp.model)
    if factory_module:
        path = _origin(factory_module)
        parts[f"factory:{factory_module}"] = source_digest(path) if path else "unknown"
    return parts


def _origin(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    return Path(spec.origin) if spec is not None and spec.origin and spec.origin.endswith(".py") else None


def digest_of(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def compute(settings: Settings) -> Fingerprint:
    parts = fingerprint_parts(settings, factory_module=factory_module_name(settings))
    return Fingerprint(digest=digest_of(parts), parts=parts)


def factory_module_name(settings: Settings) -> str | None:
    factory = settings.coder.factory
    return factory.partition(":")[0] if factory else None


# --- the record of versions ----------------------------------------------------------------------


def read_lock(path: Path = LOCK_FILE) -> dict[str, dict[str, Any]]:
    """Version → {"fingerprint": digest, "parts": {name: digest}} (empty when there is no file)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("versions", {}))


def write_lock(versions: dict[str, dict[str, Any]], path: Path = LOCK_FILE) -> None:
    body = {
        "about": "fingerprint of each built-in coder version (streams/adapters/coder_identity.py); "
        f"written by `{LOCK_COMMAND}`, checked by tests/unit/test_coder_identity.py",
        "versions": dict(sorted(versions.items())),
    }
    path.write_text(json.dumps(body, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def check(version: str, fp: Fingerprint, versions: dict[str, dict[str, Any]], *, builtin: str) -> None:
    """Raise :class:`CoderVersionError` when ``version`` cannot honestly name the coder ``fp`` describes.

    The built-in version must be recorded with this fingerprint. Any recorded version must match
    its record. An unrecorded version other than the built-in one (a coder of your own) is accepted.
    """
    record = versions.get(version)
    if record is None:
        if version == builtin:
            raise CoderVersionError(
                f"coder version {version} has no recorded fingerprint in {_relative(LOCK_FILE)}: "
                f"run `{LOCK_COMMAND}` after choosing the version"
            )
        return
    if record.get("fingerprint") == fp.digest:
        return
    changed = fp.changed_parts(record.get("parts", {}))
    shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    if version == builtin:
        hint = (
            f"bump CODER_VERSION in streams/core/pipeline.py and run `{LOCK_COMMAND}` "
            f"(a change that leaves every event as it was: `{LOCK_COMMAND} --same-output`); "
            "for a coder of your own (other dictionaries or model) set WIREWATCH_CODER__VERSION"
        )
    else:
        hint = "declare a new version (WIREWATCH_CODER__VERSION) for the changed coder"
    raise CoderVersionError(
        f"the coder changed without a version bump: version {version} was recorded with fingerprint "
        f"{record.get('fingerprint', '')[:12]}, this coder's is {fp.short} ({shown or 'parts unknown'}); "
        f"{hint}"
    )


def resolve(settings: Settings) -> tuple[str, Fingerprint]:
    """The coder version to stamp on events, checked against its fingerprint (see :func:`check`)."""
    from streams.core.pipeline import CODER_VERSION

    fp = compute(settings)
    version = settings.coder.version or CODER_VERSION
    if settings.coder.factory and not settings.coder.version:
        raise ConfigError("coder.factory needs a coder.version (WIREWATCH_CODER__VERSION) of its own")
    check(version, fp, read_lock(), builtin=CODER_VERSION)
    return version, fp


def load_factory(spec: str) -> Any:
    """``module:function`` → the function (a one-line error when it cannot be imported)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError(f"coder.factory {spec!r}: expected module:function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"coder.factory {spec!r}: cannot import {module_name}: {exc}") from exc
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise ConfigError(f"coder.factory {spec!r}: {module_name} has no function {attr}")
    return fn


def load_checked_coder(settings: Settings) -> Any:
    """The coder the settings name, its version checked against its fingerprint first.

    Built-in: the cached spaCy pipeline and codebook (``streams.adapters.nlp``) under the resolved
    version. ``coder.factory``: ``fn(settings)``, which returns an object with ``process`` and
    ``process_batch`` (``streams.core.pipeline.Coder``'s methods); its ``version`` is set here.
    The fingerprint is kept on the coder (``coder.fingerprint``) for the event set records.
    """
    version, fp = resolve(settings)
    if settings.coder.factory:
        coder = load_factory(settings.coder.factory)(settings)
    else:
        from streams.adapters.nlp import load_coder
        from streams.core.pipeline import Coder

        base = load_coder(settings.nlp)
        coder = Coder(base.nlp, base.codebook, max_chars=base.max_chars, version=version)
    coder.version = version
    coder.fingerprint = fp.digest
    return coder

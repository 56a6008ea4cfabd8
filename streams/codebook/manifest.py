"""The manifest of third-party files (``sources.toml``): what is fetched, from where, pinned how.

Every entry names its upstream repository, the commit it is pinned to, its path there, its
sha256, its licence and where it is installed. The manifest hash names the installed
directory; it depends on the (path, sha256) pairs only, so a comment or a new upstream
location does not ask for a new install, while any changed byte does.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from streams.errors import ConfigError

MANIFEST = Path(__file__).with_name("sources.toml")
USES = frozenset({"coder", "evaluation"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_REPO = re.compile(r"[\w.-]+/[\w.-]+")


@dataclass(frozen=True)
class Source:
    path: str  # where it is installed (and sits in a mirror), relative, POSIX
    repo: str
    commit: str
    upstream_path: str
    sha256: str
    licence: str
    use: str
    note: str = ""

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/{self.repo}/{self.commit}/{self.upstream_path}"

    @property
    def origin(self) -> str:
        """``repo@commit7:upstream_path``, for messages."""
        return f"{self.repo}@{self.commit[:7]}:{self.upstream_path}"


@dataclass(frozen=True)
class Manifest:
    sources: tuple[Source, ...]

    @property
    def hash(self) -> str:
        digest = hashlib.sha256()
        for source in sorted(self.sources, key=lambda s: s.path):
            digest.update(f"{source.path}\0{source.sha256}\n".encode())
        return digest.hexdigest()[:16]

    def get(self, path: str) -> Source:
        for source in self.sources:
            if source.path == path:
                return source
        raise KeyError(f"{path} is not in the codebook manifest")

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def _source(entry: dict, where: str) -> Source:
    fields: dict[str, Any] = {name: entry.get(name) for name in Source.__dataclass_fields__}
    required = ("path", "repo", "commit", "upstream_path", "sha256", "licence", "use")
    missing = [n for n in required if not fields[n]]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    path = PurePosixPath(fields["path"])
    if path.is_absolute() or ".." in path.parts:
        raise ConfigError(f"{where}: path must be relative and stay inside the codebook directory")
    if not _SHA256.fullmatch(fields["sha256"]):
        raise ConfigError(f"{where}: sha256 must be 64 lower-case hex digits")
    if not _COMMIT.fullmatch(fields["commit"]):
        raise ConfigError(f"{where}: commit must be a full 40-digit commit id")
    if not _REPO.fullmatch(fields["repo"]):
        raise ConfigError(f"{where}: repo must be owner/name")
    if fields["use"] not in USES:
        raise ConfigError(f"{where}: use must be one of {', '.join(sorted(USES))}")
    fields["note"] = fields["note"] or ""
    return Source(**fields)


def parse_manifest(text: str, name: str = "sources.toml") -> Manifest:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: {exc}") from exc
    entries = data.get("file")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{name}: no [[file]] entries")
    sources = tuple(_source(e, f"{name} [[file]] #{i + 1}") for i, e in enumerate(entries))
    paths = [s.path for s in sources]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    if dupes:
        raise ConfigError(f"{name}: listed twice: {', '.join(dupes)}")
    return Manifest(sources)


@lru_cache(maxsize=1)
def load_manifest() -> Manifest:
    """The manifest this wirewatch was built with."""
    return parse_manifest(MANIFEST.read_text(encoding="utf-8"), MANIFEST.name)

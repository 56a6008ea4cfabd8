"""No third-party file of the codebook is committed: they are installed from upstream, pinned by sha256.

Every file git tracks (or, outside a git checkout, every file of the tree) is hashed and
compared with the sha256 of every manifest entry (``streams/codebook/sources.toml``), so a
copy that comes back under any name fails here. Where the shared mirror with its
``SOURCES.tsv`` lies beside the checkout (CI, the developers' machines), the files listed
there that wirewatch does not use are checked too.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from streams.codebook.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]
SOURCES_TSV = ROOT.parent / "shared" / "SOURCES.tsv"
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", "data", "var"}


def _tracked_files() -> list[Path]:
    if shutil.which("git") and (ROOT / ".git").exists():
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
        return [ROOT / name for name in out.decode().split("\0") if name]
    return [
        p for p in ROOT.rglob("*")
        if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(ROOT).parts[:-1])
    ]  # fmt: skip


def _pinned() -> dict[str, str]:
    """sha256 → what it is."""
    pinned = {s.sha256: f"{s.path} ({s.origin})" for s in load_manifest()}
    if SOURCES_TSV.is_file():
        with SOURCES_TSV.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                pinned.setdefault(row["sha256"], f"{row['shared_path']} ({row['upstream_repo']})")
    return pinned


def test_the_manifest_pins_files_so_the_check_has_something_to_find():
    assert len(load_manifest()) >= 15


def test_no_committed_file_is_a_third_party_codebook_file():
    pinned = _pinned()
    files = _tracked_files()
    assert len(files) > 50, "found too few files: the walk is broken"
    found = []
    for path in files:
        if path.is_file():  # a tracked file deleted in the working tree is not there
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in pinned:
                found.append(f"{path.relative_to(ROOT)} is {pinned[digest]}")
    assert not found, "third-party files must be installed, not committed: " + "; ".join(found)


def test_the_check_recognises_a_third_party_file(tmp_path):
    # the comparison itself: an installed file hashed the same way is among the pinned ones
    from streams.codebook.location import codebook_dir

    source = load_manifest().get("codebooks/CAMEO2PLOVER-2021.txt")
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(codebook_dir() / source.path, copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() in _pinned()


@pytest.mark.parametrize("folder", ["streams/codebook/data", "tests/data"])
def test_only_wirewatch_files_remain_where_the_copies_were(folder):
    names = sorted(p.name for p in (ROOT / folder).rglob("*") if p.is_file())
    upstream = {Path(s.path).name for s in load_manifest()}
    assert not upstream.intersection(names)

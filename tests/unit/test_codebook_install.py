"""``wirewatch codebook install|status``: from a mirror, from an upstream over HTTP, refusals, atomicity.

The mirror is the codebook ``make install`` installed (its layout is a mirror's); "upstream"
is a local HTTP server on 127.0.0.1 laid out as ``<repo>/<commit>/<upstream_path>``, the
layout of raw.githubusercontent.com. No test reaches outside this machine.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.codebook.install import install, status, verify_dir
from streams.codebook.location import RECORD_NAME, codebook_dir, codebook_file, install_dir
from streams.codebook.manifest import load_manifest, parse_manifest
from streams.errors import CodebookInstallError, CodebookMissingError, ConfigError
from streams.settings import CodebookSettings

MANIFEST = load_manifest()


@pytest.fixture(scope="module")
def installed() -> Path:
    """The codebook `make install` installed: a complete, verified mirror."""
    return codebook_dir()


@pytest.fixture
def mirror(tmp_path: Path, installed: Path) -> Path:
    """A writable copy of the installed codebook, to tamper with."""
    folder = tmp_path / "mirror"
    for source in MANIFEST:
        (folder / source.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(installed / source.path, folder / source.path)
    return folder


def _settings(home: Path, **kw) -> CodebookSettings:
    return CodebookSettings(home=home, **kw)


def _cli(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    environ.update(WIREWATCH_CODEBOOK__HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("wirewatch: error: ")
    return lines[0]


def _leftovers(home: Path) -> list[str]:
    root = home / "codebook"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


# -- from a mirror ---------------------------------------------------------------------------------


def test_install_from_a_mirror_then_again_does_nothing(tmp_path, mirror):
    home = tmp_path / "home"
    first = _cli("codebook", "install", "--from", str(mirror), home=home)
    assert first.returncode == 0, first.stderr
    target = home / "codebook" / MANIFEST.hash
    assert f"installed codebook {MANIFEST.hash} ({len(MANIFEST)} files" in first.stdout
    assert first.stdout.count(": sha256 ok") == len(MANIFEST)
    assert verify_dir(target, MANIFEST) == []
    record = json.loads((target / RECORD_NAME).read_text())
    assert record["manifest_hash"] == MANIFEST.hash and record["from"] == f"mirror {mirror}"
    assert set(record["files"]) == {s.path for s in MANIFEST}
    assert _leftovers(home) == [MANIFEST.hash]  # no temporary directory left behind

    before = {p: p.stat().st_mtime_ns for p in target.rglob("*")}
    second = _cli("codebook", "install", "--from", str(mirror), home=home)
    assert second.returncode == 0
    assert "already installed" in second.stdout and "nothing to do" in second.stdout
    assert ": sha256 ok" not in second.stdout
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*")} == before


def test_the_mirror_setting_is_used_without_from(tmp_path, mirror):
    home = tmp_path / "home"
    result = _cli("codebook", "install", home=home, WIREWATCH_CODEBOOK__MIRROR=str(mirror))
    assert result.returncode == 0, result.stderr
    assert f"from mirror {mirror}" in result.stdout


def test_a_tampered_mirror_file_is_refused_and_nothing_is_installed(tmp_path, mirror):
    victim = mirror / "dictionaries/petrarch2/Phoenix.agents.txt"
    data = bytearray(victim.read_bytes())
    data[100] ^= 0x20  # one letter's case
    victim.write_bytes(bytes(data))
    home = tmp_path / "home"
    line = _one_line_error(_cli("codebook", "install", "--from", str(mirror), home=home))
    assert "refusing dictionaries/petrarch2/Phoenix.agents.txt" in line
    assert "sha256" in line and "nothing was installed" in line
    assert _leftovers(home) == []  # neither the target nor a temporary directory


def test_a_file_missing_from_the_mirror_is_named(tmp_path, mirror):
    (mirror / "gold/plv/PLV_train.tsv").unlink()
    line = _one_line_error(_cli("codebook", "install", "--from", str(mirror), home=tmp_path / "home"))
    assert f"mirror {mirror} has no gold/plv/PLV_train.tsv" in line
    assert _leftovers(tmp_path / "home") == []


def test_a_mirror_that_is_not_a_directory_is_one_line(tmp_path):
    line = _one_line_error(_cli("codebook", "install", "--from", str(tmp_path / "nope"), home=tmp_path / "h"))
    assert "is not a directory" in line


def test_a_damaged_install_is_repaired(tmp_path, mirror):
    settings = _settings(tmp_path / "home")
    target = install(settings, mirror=mirror, say=lambda _: None)
    victim = target / "codebooks/CAMEO2PLOVER-2021.txt"
    victim.chmod(0o644)
    victim.write_text("not the table\n")
    said: list[str] = []
    assert install(settings, mirror=mirror, say=said.append) == target
    assert any("damaged" in line and "CAMEO2PLOVER-2021.txt changed" in line for line in said)
    assert verify_dir(target, MANIFEST) == []
    assert _leftovers(tmp_path / "home") == [MANIFEST.hash]


# -- from upstream ---------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream(tmp_path: Path, installed: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server laid out as <repo>/<commit>/<upstream_path>; yields (base URL, its root)."""
    www = tmp_path / "www"
    for s in MANIFEST:
        dest = www / s.repo / s.commit / s.upstream_path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(installed / s.path, dest)
    handler = functools.partial(_QuietHandler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", www
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_install_fetches_each_file_at_its_pinned_commit(tmp_path, upstream):
    base_url, _ = upstream
    said: list[str] = []
    target = install(_settings(tmp_path / "home", base_url=base_url), say=said.append)
    assert verify_dir(target, MANIFEST) == []
    assert sum(line.strip().startswith("fetched ") for line in said) == len(MANIFEST)
    assert json.loads((target / RECORD_NAME).read_text())["from"] == base_url


def test_an_upstream_404_names_the_file_and_its_url(tmp_path, upstream):
    base_url, www = upstream
    source = MANIFEST.get("gold/plover/PLOVER_GSR_CAMEO.json")
    (www / source.repo / source.commit / source.upstream_path).unlink()
    with pytest.raises(CodebookInstallError) as err:
        install(_settings(tmp_path / "home", base_url=base_url), say=lambda _: None)
    message = str(err.value)
    assert "gold/plover/PLOVER_GSR_CAMEO.json" in message and "HTTP 404" in message
    assert source.url(base_url) in message
    assert _leftovers(tmp_path / "home") == []


def test_a_tampered_upstream_file_is_refused(tmp_path, upstream):
    base_url, www = upstream
    source = MANIFEST.get("codebooks/cameo-codes.icews.csv")
    with (www / source.repo / source.commit / source.upstream_path).open("ab") as fh:
        fh.write(b"\n")
    with pytest.raises(CodebookInstallError, match="refusing codebooks/cameo-codes.icews.csv from http"):
        install(_settings(tmp_path / "home", base_url=base_url), say=lambda _: None)
    assert _leftovers(tmp_path / "home") == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: nothing listens there


def test_no_network_is_one_line_naming_the_mirror_option(tmp_path):
    port = _closed_port()
    result = _cli("codebook", "install", home=tmp_path / "home",
                  WIREWATCH_CODEBOOK__BASE_URL=f"http://127.0.0.1:{port}")  # fmt: skip
    line = _one_line_error(result)
    assert "cannot fetch dictionaries/petrarch2/CAMEO.2.0.txt" in line
    assert "--from DIR" in line and "nothing was installed" in line
    assert _leftovers(tmp_path / "home") == []


def test_an_upstream_that_never_answers_times_out(tmp_path):
    with socket.socket() as listener:  # accepts connections (backlog) and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        settings = _settings(
            tmp_path / "home", base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout_s=0.5
        )
        with pytest.raises(CodebookInstallError, match=r"no answer within 0\.5 s"):
            install(settings, say=lambda _: None)


# -- status and the loaders ------------------------------------------------------------------------


def test_status_says_where_and_exits_3_when_nothing_is_installed(tmp_path, mirror):
    home = tmp_path / "home"
    missing = _cli("codebook", "status", home=home)
    assert missing.returncode == 3
    assert "not installed" in missing.stdout and "wirewatch codebook install" in missing.stdout
    install(_settings(home), mirror=mirror, say=lambda _: None)
    found = _cli("codebook", "status", "--json", home=home)
    assert found.returncode == 0
    data = json.loads(found.stdout)
    assert data["installed"] is True and data["install_dir"] == str(home / "codebook" / MANIFEST.hash)
    assert data["problems"] == []


def test_status_of_a_damaged_install(tmp_path, mirror):
    settings = _settings(tmp_path / "home")
    target = install(settings, mirror=mirror, say=lambda _: None)
    (target / "gold/plv/PLV_train.tsv").unlink()
    result = status(settings)
    assert not result.installed
    assert "damaged" in result.lines[0] and "gold/plv/PLV_train.tsv missing" in result.lines[0]


def test_loaders_without_an_install_say_which_command_to_run(tmp_path):
    settings = _settings(tmp_path / "empty")
    with pytest.raises(CodebookMissingError, match="run `wirewatch codebook install`"):
        codebook_dir(settings)
    line = _one_line_error(_cli("code", "tests/data/seed/wire-russia-china.txt", home=tmp_path / "empty"))
    assert "not installed" in line and "wirewatch codebook install" in line


def test_the_dir_setting_points_the_loaders_elsewhere(tmp_path, mirror):
    settings = _settings(tmp_path / "empty", dir=mirror)
    assert codebook_dir(settings) == mirror
    table = "codebooks/CAMEO2PLOVER-2021.txt"
    assert codebook_file(table, settings) == mirror / table
    (mirror / "codebooks/CAMEO2PLOVER-2021.txt").unlink()
    with pytest.raises(CodebookMissingError, match="CAMEO2PLOVER-2021.txt is missing"):
        codebook_file("codebooks/CAMEO2PLOVER-2021.txt", settings)
    with pytest.raises(CodebookMissingError, match="is not a directory"):
        codebook_dir(_settings(tmp_path, dir=tmp_path / "nope"))


def test_install_dir_is_versioned_by_the_manifest_hash(tmp_path):
    assert install_dir(_settings(tmp_path)) == tmp_path / "codebook" / MANIFEST.hash


# -- the manifest ----------------------------------------------------------------------------------

_ENTRY = """
[[file]]
path = "codebooks/x.txt"
repo = "owner/name"
commit = "{commit}"
upstream_path = "x.txt"
sha256 = "{sha}"
licence = "MIT"
use = "coder"
"""


def _manifest(**kw: str) -> str:
    return _ENTRY.format(**({"commit": "a" * 40, "sha": "b" * 64} | kw))


def test_manifest_hash_depends_on_paths_and_digests_only():
    one = parse_manifest(_manifest())
    assert parse_manifest(_manifest().replace('licence = "MIT"', 'licence = "BSD"')).hash == one.hash
    assert parse_manifest(_manifest(commit="c" * 40)).hash == one.hash
    assert parse_manifest(_manifest(sha="d" * 64)).hash != one.hash


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (_manifest(sha="B" * 64), "sha256 must be"),
        (_manifest(commit="main"), "full 40-digit commit"),
        (_manifest().replace("codebooks/x.txt", "../x.txt"), "must be relative"),
        (_manifest().replace('use = "coder"', 'use = "training"'), "use must be one of"),
        (_manifest().replace('licence = "MIT"\n', ""), "missing licence"),
        (_manifest() + _manifest(), "listed twice"),
        ("file = 3", "no [[file]] entries"),
        ("[[file]\n", "sources.toml"),
    ],
)
def test_a_bad_manifest_is_one_clear_error(text, complaint):
    with pytest.raises(ConfigError, match=re.escape(complaint)):
        parse_manifest(text)


def test_the_project_manifest_matches_what_the_loaders_ask_for():
    from streams.codebook import actors, agents, cameo, discards, verbs
    from streams.commands import eval_plv, evaluate

    wanted = {
        *actors.PHOENIX_ACTORS, agents.PHOENIX_AGENTS, agents.NATIONALITIES, cameo.CAMEO_CSV,
        cameo.PLOVER_TABLE, discards.DISCARDS_FILE, verbs.VERBS_FILE, evaluate.PLOVER_GOLD,
        evaluate.PETRARCH_RECORDS, eval_plv.PLV_GOLD,
    }  # fmt: skip
    assert wanted <= {s.path for s in MANIFEST}
    plv = MANIFEST.get("gold/plv/PLV_train.tsv")
    assert plv.use == "evaluation" and plv.licence == "none stated"

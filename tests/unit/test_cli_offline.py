"""``wirewatch clean`` / ``wirewatch code`` in-process (``streams.cli.main``), no model, no broker."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from schemas import Actor, Cameo, CleanArticle, DiplomaticEvent, Evidence, Plover, RawArticle
from streams.cli import main

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"
SEED = SEED_DIR / "wire-russia-china.txt"


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


SUMMARY = re.compile(
    r"^(cleaned|coded) (\d+) article\(s\) from (stdin|\d+ file\(s\))( → (\d+) event\(s\))? in [\d.]+ s"
    r"( \([\d.]+ articles/s\))?(; (\d+) rejected \(see above\))?$"
)


def _problems(err: str, *, articles: int, rejected: int = 0, events: int | None = None) -> list[str]:
    """The problem lines of stderr, after checking its last line: the closing summary."""
    *problems, summary = _lines(err)
    match = SUMMARY.match(summary)
    assert match, summary
    assert int(match.group(2)) == articles
    assert int(match.group(8) or 0) == rejected
    if events is not None:
        assert int(match.group(5)) == events
    return problems


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_clean_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED), "--published-at", "2022-09-20"]) == 0
    out, err = capsys.readouterr()
    assert _problems(err, articles=1) == []
    [line] = _lines(out)
    clean = CleanArticle.model_validate_json(line)
    expected = json.loads((SEED_DIR / "expected_clean.json").read_text(encoding="utf-8"))
    assert clean.title == expected["title"] and clean.paragraphs == expected["paragraphs"]
    assert clean.truncated is True
    assert clean.article_id == "wire-russia-china"
    assert clean.published_at is not None and clean.published_at.isoformat() == "2022-09-20T00:00:00+00:00"


def test_clean_jsonl_with_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text(
        json.dumps({"id": "a", "title": "T", "body": "One sentence here.\n\nOne sentence here."})
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "b", "body": "<p>Another &amp; one.</p>"})
        + "\n",
        encoding="utf-8",
    )
    assert main(["clean", str(p)]) == 0
    out, err = capsys.readouterr()
    records = [CleanArticle.model_validate_json(line) for line in _lines(out)]
    assert [r.article_id for r in records] == ["a", "b"]
    assert records[0].paragraphs == ["One sentence here."] and records[0].removed.duplicate_paragraphs == 1
    assert records[1].paragraphs == ["Another & one."]
    assert _problems(err, articles=2, rejected=1) == [
        f"wirewatch: {p}:2: invalid JSON: Expecting property name enclosed in double quotes at column 2"
    ]


def test_clean_nonexistent_file_only_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.jsonl"
    assert main(["clean", str(missing)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert _problems(err, articles=0, rejected=1) == [
        f"wirewatch: {missing}: cannot read: No such file or directory"
    ]


def test_clean_one_missing_among_good_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(tmp_path / "missing.txt"), str(SEED)]) == 0
    out, err = capsys.readouterr()
    assert len(_lines(out)) == 1 and len(_problems(err, articles=1, rejected=1)) == 1


def test_clean_reads_stdin_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, SEED.read_bytes())
    assert main(["clean"]) == 0
    [line] = _lines(capsys.readouterr().out)
    assert (
        CleanArticle.model_validate_json(line).title
        == "Russia Prioritizing Expanding Security Ties With China"
    )


def test_clean_stdin_jsonl_dash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, b'{"id": "a", "body": "Text one."}\n{"id": "b", "body": "Text two."}\n')
    assert main(["clean", "-", "--max-chars", "5000"]) == 0
    assert [json.loads(x)["article_id"] for x in _lines(capsys.readouterr().out)] == ["a", "b"]


def test_clean_max_chars(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED), "--max-chars", "300"]) == 0
    clean = CleanArticle.model_validate_json(capsys.readouterr().out)
    assert len(clean.text) <= 300 and clean.truncated


@pytest.mark.parametrize(
    "args", [["--published-at", "last tuesday"], ["--max-chars", "0"], ["--max-chars", "x"]]
)
def test_clean_bad_options_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["clean", str(SEED), *args])
    assert exc.value.code == 2
    assert "wirewatch clean: error:" in capsys.readouterr().err


# --- code, with a stand-in coder (the real one is exercised in tests/pipeline/) ----------


def _event(raw: RawArticle) -> DiplomaticEvent:
    return DiplomaticEvent(
        event_id=f"ev-{raw.id}",
        article_id=raw.id,
        source=Actor(text="Russia", code="RUS", country="RUS"),
        target=Actor(text="China", code="CHN", country="CHN"),
        cameo=Cameo(code="043", root="04", name="Visit", goldstein=1.9, quad_class=1),
        plover=Plover(event="CONSULT"),
        event_date=date(2022, 9, 19),
        evidence=[Evidence(text=raw.body[:20] or "x", start=0, end=1)],
        confidence=0.9,
        coder_version="test",
    )


@dataclass
class _Outcome:
    events: list[DiplomaticEvent]


@dataclass
class FakeCoder:
    batches: list[list[str]] = field(default_factory=list)

    def process_batch(self, raws: list[RawArticle], batch_size: int = 16) -> list[_Outcome]:
        self.batches.append([r.id for r in raws])
        if any(r.id == "boom" for r in raws):
            raise RuntimeError("parser exploded")
        return [self.process(r) for r in raws]

    def process(self, raw: RawArticle) -> _Outcome:
        if raw.id == "boom":
            raise RuntimeError("parser exploded")
        return _Outcome(events=[_event(raw)])


@pytest.fixture
def fake_coder(monkeypatch: pytest.MonkeyPatch) -> FakeCoder:
    coder = FakeCoder()
    monkeypatch.setattr("streams.adapters.nlp.load_coder", lambda settings=None: coder)
    return coder


def test_code_batches_and_survives_a_failing_article(
    tmp_path: Path, fake_coder: FakeCoder, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "feed.jsonl"
    ids = ["a", "b", "boom", "c", "d"]
    p.write_text(
        "\n".join(json.dumps({"id": i, "body": f"Body {i}."}) for i in ids) + "\nnope\n", encoding="utf-8"
    )
    assert main(["code", str(p), "--batch-size", "2", "--published-at", "2022-09-20"]) == 0
    out, err = capsys.readouterr()
    events = [DiplomaticEvent.model_validate_json(line) for line in _lines(out)]
    assert [e.article_id for e in events] == ["a", "b", "c", "d"]
    assert fake_coder.batches == [["a", "b"], ["boom", "c"], ["d"]]
    assert _problems(err, articles=4, rejected=2, events=4) == [
        f"wirewatch: {p}:3: coding failed: RuntimeError: parser exploded",
        f"wirewatch: {p}:6: invalid JSON: Expecting value at column 1",
    ]


def test_code_does_not_load_the_model_when_nothing_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(settings: object = None) -> None:
        raise AssertionError("model loaded for no input")

    monkeypatch.setattr("streams.adapters.nlp.load_coder", refuse)
    assert main(["code", str(tmp_path / "missing.txt")]) == 1
    assert len(_problems(capsys.readouterr().err, articles=0, rejected=1)) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_leaves_only_the_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "a", "body": "Text."}\n{broken\n', encoding="utf-8")
    assert main(["clean", "--quiet", str(p)]) == 0
    out, err = capsys.readouterr()
    assert len(_lines(out)) == 1
    assert _lines(err) == [
        f"wirewatch: {p}:2: invalid JSON: Expecting property name enclosed in double quotes at column 2"
    ]


def test_a_terminal_gets_a_progress_bar_with_the_total(
    tmp_path: Path, fake_coder: FakeCoder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text(
        "".join(json.dumps({"id": f"a{i}", "body": f"Body {i}."}) + "\n" for i in range(5)), encoding="utf-8"
    )
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["code", str(p), "--batch-size", "2"]) == 0
    shown = terminal.getvalue()
    assert "5/5" in shown and "code" in shown  # tqdm's bar: done/total
    assert SUMMARY.match(_lines(shown)[-1])  # after the closed bar: the summary on a line of its own
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["code", "--quiet", str(p)]) == 0
    assert quiet.getvalue() == ""
    assert len(_lines(capsys.readouterr().out)) == 10

"""``wirewatch code`` end to end with the real spaCy model: the seed, byte for byte, from a file and stdin.

The coder's own tests check which events the seed yields; this one checks the
command around them: valid records on stdout, stable ids, the seed's cleaning,
non-codable articles skipped quietly and bad lines reported.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from schemas import DiplomaticEvent
from streams.cli import main

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "wire-russia-china.txt"


def _events(out: str) -> list[DiplomaticEvent]:
    return [DiplomaticEvent.model_validate_json(line) for line in out.splitlines() if line]


def test_code_seed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["code", str(SEED), "--published-at", "2022-09-20"]) == 0
    out, err = capsys.readouterr()
    events = _events(out)
    assert events, "the seed article yields events"
    # stderr holds only the closing summary, and it counts what stdout holds
    [summary] = err.splitlines()
    assert re.fullmatch(
        rf"coded 1 article\(s\) from 1 file\(s\) → {len(events)} event\(s\) in [\d.]+ s "
        r"\([\d.]+ articles/s\)",
        summary,
    ), summary
    assert {e.article_id for e in events} == {"wire-russia-china"}
    assert len({e.event_id for e in events}) == len(events)
    text = "\n\n".join(json.loads((SEED.parent / "expected_clean.json").read_text("utf-8"))["paragraphs"])
    for e in events:
        actors = [e.source, *([e.target] if e.target else [])]
        assert not any("jazeera" in a.text.lower() for a in actors)
        for ev in e.evidence:  # offsets point into the clean text the cleaner produced
            assert text[ev.start : ev.end] == ev.text

    # coded again, in batches of one: the same ids (a replay overwrites, never duplicates)
    assert main(["code", str(SEED), "--published-at", "2022-09-20", "--batch-size", "1"]) == 0
    again = _events(capsys.readouterr().out)
    assert [e.event_id for e in again] == [e.event_id for e in events]


def test_code_jsonl_from_stdin_with_non_english_and_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    lines = [
        json.dumps({"id": "seed", "title": title, "body": body, "published_at": "2022-09-20T00:00:00Z"}),
        json.dumps(
            {"id": "fr", "body": "Le président russe a rencontré son homologue chinois la semaine dernière."}
        ),
        "{oops",
        json.dumps({"id": "empty", "body": ""}),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert main(["code", "-"]) == 0
    out, err = capsys.readouterr()
    events = _events(out)
    assert events and {e.article_id for e in events} == {"seed"}
    *problems, summary = err.splitlines()
    assert problems == [
        "wirewatch: <stdin>:3: invalid JSON: Expecting property name enclosed in double quotes at column 2"
    ]
    assert summary.startswith("coded 3 article(s) from stdin → ")
    assert summary.endswith("; 1 rejected (see above)")

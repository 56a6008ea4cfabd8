"""``wirewatch eval`` on the installed gold sets: the last line is the metrics JSON and
the scores do not fall below what the coder reached when this test was written (minus
a small margin), so a regression in classify or extract fails here.

The numbers are in-sample: the rules were written while reading failures on these sets
(see docs/evaluation.md). The gold sets are the installed codebook's (``make install``
installs it; ``wirewatch codebook install``), not files of this repository.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from streams.cli import main
from streams.codebook.location import codebook_dir

MARGIN = 0.02


@pytest.fixture(scope="module")
def gold() -> Path:
    return codebook_dir() / "gold"


def _run(argv: list[str]) -> tuple[str, dict]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    lines = buf.getvalue().strip().splitlines()
    return "\n".join(lines[:-1]), json.loads(lines[-1])


def test_eval_plover(gold: Path) -> None:
    table, metrics = _run(["eval", "plover", str(gold / "plover" / "PLOVER_GSR_CAMEO.json")])
    assert "AGREE" in table and "event_recall" in table
    assert metrics["dataset"] == "plover"
    assert metrics["records"] == 322  # the DOCUMENT record is skipped
    assert metrics["event_recall"] >= 0.72 - MARGIN
    assert metrics["precision"] >= 0.80 - MARGIN
    assert metrics["event_dyad"] >= 0.62 - MARGIN
    assert metrics["emitted"] > 0


def test_eval_petrarch_defaults_to_the_installed_suite() -> None:
    # no path, no --dictionaries: the installed gold/petrarch2/ records and PETR.Validate.* dictionaries
    table, metrics = _run(["eval", "petrarch"])
    assert "COMPOUND" in table
    assert metrics["dataset"] == "petrarch" and metrics["conventions"] == "petrarch"
    assert metrics["records"] == 284
    assert metrics["root_dyad"] >= 0.72 - MARGIN
    assert metrics["exact"] >= 0.68 - MARGIN
    assert metrics["root_dyad_any"] >= metrics["root_dyad"]


def test_eval_split_halves_partition_the_set() -> None:
    # no path: the installed PLOVER gold
    _, odd = _run(["eval", "plover", "--split", "odd"])
    _, even = _run(["eval", "plover", "--split", "even"])
    assert odd["records"] + even["records"] == 322
    assert odd["split"] == "odd" and even["split"] == "even"


def test_eval_missing_file_is_one_line_error(capsys, gold: Path) -> None:
    assert main(["eval", "plover", str(gold / "nope.json")]) != 0
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err


EVAL_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "eval"


def test_eval_plv_on_sentences_written_for_the_test() -> None:
    # six sentences in the Zero-Shot-PLOVER column layout, written for wirewatch: the command,
    # its span-matched dyads and its metrics are tested without that data set
    table, metrics = _run(["eval", "plv", str(EVAL_FIXTURES / "plv-format-sample.tsv")])
    assert "confusion" in table and "type+dyad" in table
    assert metrics["dataset"] == "plv" and metrics["records"] == 6
    assert metrics["type_recall"] >= 5 / 6 - 0.001
    assert metrics["type_dyad"] >= 5 / 6 - 0.001
    assert metrics["precision"] >= 0.8


def test_eval_plv_splits_are_a_frozen_partition() -> None:
    from streams.commands.eval_plv import plv_split

    ids = [str(k) for k in range(3000)]
    test = [i for i in ids if plv_split(i) == "test"]
    assert {plv_split(i) for i in ids} == {"dev", "test"}
    assert 0.28 < len(test) / len(ids) < 0.38  # a third held out
    assert plv_split("4") == plv_split("4")


def test_eval_corpus_counts_events_per_category() -> None:
    table, metrics = _run(["eval", "corpus", str(EVAL_FIXTURES / "corpus-sample.jsonl")])
    cats = metrics["categories"]
    assert set(cats) == {"politics", "sport", "business"}
    assert cats["politics"]["events"] >= 1
    assert cats["sport"]["events"] == 0 and cats["business"]["events"] == 0

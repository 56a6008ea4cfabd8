"""``wirewatch stories`` and ``wirewatch eval dedup`` on small files; the cluster metrics by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_canonical import EVENTS

from schemas import CanonicalEvent
from streams.cli import main
from streams.commands.eval_dedup import sentence_key
from streams.core import cluster_metrics as cm


def _write(path: Path, events) -> Path:
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path


def test_stories_prints_canonical_events_most_reported_first(tmp_path, capsys) -> None:
    path = _write(tmp_path / "events.jsonl", EVENTS)
    assert main(["stories", str(path)]) == 0
    out, err = capsys.readouterr()
    stories = [CanonicalEvent.model_validate_json(line) for line in out.splitlines()]
    assert [s.event_ids for s in stories][:2] == [["e1", "e2", "e3", "e4"], ["e5", "e6"]]
    assert sum(len(s.event_ids) for s in stories) == len(EVENTS)
    assert "3 canonical events, 2 of them reported by two or more articles" in err


def test_stories_table_csv_and_min_mentions(tmp_path, capsys) -> None:
    path = _write(tmp_path / "events.jsonl", EVENTS)
    assert main(["stories", str(path), "--format", "csv", "--min-mentions", "3", "-q"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("story_id,story_key,") and len(lines) == 2 and err == ""
    assert "e1;e2;e3;e4" in lines[1]
    assert main(["stories", str(path), "--format", "table", "-q"]) == 0
    assert "PRK>JPN" in capsys.readouterr().out


def test_stories_bad_line_is_one_readable_error(tmp_path, capsys) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(EVENTS[0].model_dump_json() + "\n{not json\n", encoding="utf-8")
    assert main(["stories", str(path)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("wirewatch: error: ") and f"{path}:2: not a DiplomaticEvent" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["stories", str(tmp_path / "missing.jsonl")]) != 0
    assert "cannot read" in capsys.readouterr().err


def _corpus(tmp_path: Path) -> Path:
    rows = []
    for e in EVENTS:
        story = (
            "launch"
            if e.source.country == "PRK" and e.cameo.root != "11"
            else ("breach" if e.source.country == "USA" else "reaction")
        )
        rows.append(
            {"id": e.article_id, "source": e.article_source, "title": "t", "body": "b", "story": story}
        )
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_dedup_scores_against_story_labels(tmp_path, capsys) -> None:
    corpus, events = _corpus(tmp_path), _write(tmp_path / "events.jsonl", EVENTS)
    assert main(["eval", "dedup", str(corpus), "--events", str(events)]) == 0
    result = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert result["canonical_events"] == 3 and result["events"] == 7
    assert result["bcubed_precision"] == 1.0 and result["bcubed_recall"] == 1.0
    assert result["multi_outlet"] == 2 and result["multi_outlet_purity"] == 1.0
    assert result["share_merged"] == round(1 - 3 / 7, 4)
    top = {r["story"]: r for r in result["top_stories"]}
    assert top["launch"]["largest_outlets"] == 4 and top["launch"]["outlets_with_events"] == 4
    # the old key splits the launch (three roots) and is scored the same way
    assert main(["eval", "dedup", str(corpus), "--events", str(events), "--method", "key"]) == 0
    old = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert old["canonical_events"] > 3 and old["bcubed_recall"] < 1.0


def test_eval_dedup_gold_pairwise(tmp_path, capsys) -> None:
    corpus, events = _corpus(tmp_path), _write(tmp_path / "events.jsonl", EVENTS)
    gold = tmp_path / "gold.jsonl"
    labels = {
        "e1": "launch",
        "e2": "launch",
        "e3": "launch",
        "e4": "second-launch",
        "e5": "breach",
        "e6": "breach",
        "e7": None,
    }
    gold.write_text(
        "".join(
            json.dumps({"event_id": k, "article_id": f"art-{k}", "story": "s", "event": v}) + "\n"
            for k, v in labels.items()
        ),
        encoding="utf-8",
    )
    assert main(["eval", "dedup", str(corpus), "--events", str(events), "--gold", str(gold)]) == 0
    g = json.loads(capsys.readouterr().out.splitlines()[-1])["gold"]
    # predicted pairs: 6 in {e1..e4} + 1 (e5, e6); gold pairs: 3 in {e1, e2, e3} + 1
    assert (g["pairs_predicted"], g["pairs_gold"], g["pairs_true"]) == (7, 4, 4)
    assert g["pairwise_precision"] == round(4 / 7, 4) and g["pairwise_recall"] == 1.0
    # another coder version: other ids, matched through the article and the evidence sentence's hash
    by_id = {e.event_id: e for e in EVENTS}
    recoded = [e.model_copy(update={"event_id": "new-" + e.event_id}) for e in EVENTS]
    gold.write_text(
        "".join(
            json.dumps(
                {
                    "event_id": k,
                    "article_id": f"art-{k}",
                    "story": "s",
                    "event": v,
                    "sentences": [sentence_key(by_id[k].evidence[0].text)],
                }
            )
            + "\n"
            for k, v in labels.items()
        ),
        encoding="utf-8",
    )
    _write(events, recoded)
    assert main(["eval", "dedup", str(corpus), "--events", str(events), "--gold", str(gold)]) == 0
    again = json.loads(capsys.readouterr().out.splitlines()[-1])["gold"]
    assert (again["pairs_predicted"], again["pairs_gold"], again["pairs_true"]) == (7, 4, 4)
    gold.write_text(
        json.dumps(
            {"event_id": "e9", "article_id": "art-e1", "story": "s", "event": "x", "sentences": ["0" * 16]}
        )
        + "\n"
    )
    assert main(["eval", "dedup", str(corpus), "--events", str(events), "--gold", str(gold)]) != 0
    assert "match no coded event" in capsys.readouterr().err


def test_bcubed_and_pairwise_by_hand() -> None:
    clusters = {"a": "1", "b": "1", "c": "2", "d": "2"}
    labels = {"a": "x", "b": "y", "c": "y", "d": "y"}
    b3 = cm.bcubed(clusters, labels)
    # precision: a 1/2, b 1/2, c 1, d 1 -> 0.75; recall: a 1, b 1/3, c 2/3, d 2/3 -> 2/3
    assert b3.precision == pytest.approx(0.75) and b3.recall == pytest.approx(2 / 3)
    pr, tp, predicted, gold = cm.pairwise(clusters, labels)
    assert (tp, predicted, gold) == (1, 2, 3) and pr.precision == 0.5 and pr.recall == pytest.approx(1 / 3)
    outlets = {"a": "o1", "b": "o2", "c": "o1", "d": "o1"}
    assert cm.multi_outlet_purity(clusters, labels, outlets) == (0, 1)
    assert cm.largest_per_label(clusters, labels, outlets)["y"] == (1, 2, 2)  # c, d: one outlet, two reports
    assert cm.share_merged(clusters) == 0.5

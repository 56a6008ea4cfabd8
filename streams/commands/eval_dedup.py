"""``wirewatch eval dedup PATH``: canonical events against story labels (and a hand-labelled gold set).

PATH is a JSONL corpus of raw articles with a ``story`` label (news_cluster). Its
coded events come from ``--events FILE`` (the output of ``wirewatch code PATH``),
else the corpus is coded here. Every report (event) takes its article's story.

Printed: B-cubed precision and recall of the canonical events against the
stories; the share of reports merged; of the canonical events gathering two or
more outlets, the share that hold one story only; and, for the stories with the
most outlets, the outlets gathered by their largest canonical event. ``--method
key`` scores the old (dyad, root, 3-day bucket) key of ``streams.core.dedup``
for comparison.

Split (``--split``): the corpus halves frozen for the coder (``eval corpus``: by
story hash, ``dev``/``test``). The merge weights and threshold were chosen on
``dev`` (``--grid`` prints the search) and are reported on ``test``.

``--gold FILE`` adds pairwise and B-cubed precision and recall against hand
labels: a JSONL of ``{"event_id", "article_id", "story", "event", "sentences"}``
where ``event`` names the real-world event a report describes (``null``: the
report describes no real event and is left out) and ``sentences`` are hashes of
its evidence sentences (:func:`sentence_key`), so that the events of another coder
version (other ids) are matched through the sentences they come from.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from schemas import DiplomaticEvent
from streams.commands.eval_corpus import CORPUS_SPLITS, corpus_split, load_corpus, raw_of
from streams.commands.tables import text_table
from streams.core import canonical, cluster_metrics, dedup
from streams.core.similarity import MergeParams
from streams.errors import InputError

TOP_STORIES = 10
GRID = {
    "threshold": (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8),
    "w_actors": (1.0, 2.0),
    "w_text": (1.0, 2.0),
    "w_headline": (0.0, 1.0, 2.0),
    "side_conflict_gates": (False, True),
}


def read_events(path: Path) -> list[DiplomaticEvent]:
    events = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read events {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(DiplomaticEvent.model_validate_json(line))
        except ValueError as exc:
            raise InputError(f"{path}:{n}: not a DiplomaticEvent ({str(exc).splitlines()[0]})") from exc
    return events


def assign(
    events: list[DiplomaticEvent], method: str, params: MergeParams, block_days: int
) -> dict[str, str]:
    """event id -> canonical id."""
    if method == "key":
        return {e.event_id: dedup.story_key(e, window_hours=72) for e in events}
    out = {}
    for c in canonical.cluster(events, params=params, block_days=block_days):
        out.update(dict.fromkeys(c.event_ids, c.story_id))
    return out


def story_metrics(
    events: list[DiplomaticEvent],
    story_of: dict[str, str],
    story_outlets: dict[str, int],
    clusters: dict[str, str],
) -> dict:
    """Scores against story labels; the top stories are those with the most outlets *with coded events*
    (a story the coder finds nothing in cannot gather anything), and each shows its corpus outlets too."""
    labels = {e.event_id: story_of[e.article_id] for e in events if e.article_id in story_of}
    outlets = {e.event_id: e.article_source or e.article_id for e in events}
    b3 = cluster_metrics.bcubed(clusters, labels)
    pure, multi = cluster_metrics.multi_outlet_purity(clusters, labels, outlets)
    largest = cluster_metrics.largest_per_label(clusters, labels, outlets)
    coded = cluster_metrics.outlet_counts({i: labels[i] for i in clusters if i in labels}, outlets)
    top = sorted(coded.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_STORIES]
    per_story: list[dict[str, Any]] = [
        {
            "story": s,
            "outlets": story_outlets.get(s, 0),
            "outlets_with_events": n,
            "largest_outlets": largest.get(s, (0, 0, 0))[0],
            "largest_reports": largest.get(s, (0, 0, 0))[1],
        }
        for s, n in top
    ]
    return {
        "events": len(clusters),
        "canonical_events": len(set(clusters.values())),
        "share_merged": round(cluster_metrics.share_merged(clusters), 4),
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
        "multi_outlet": multi,
        "multi_outlet_one_story": pure,
        "multi_outlet_purity": round(pure / multi, 4) if multi else None,
        "top_stories_at_half": sum(2 * r["largest_outlets"] >= r["outlets_with_events"] for r in per_story),
        "top_stories_at_half_of_corpus_outlets": sum(
            2 * r["largest_outlets"] >= r["outlets"] for r in per_story
        ),
        "top_stories": per_story,
    }


def sentence_key(text: str) -> str:
    """The id of one evidence sentence in a gold file: a hash of its words (no text is stored)."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()[:16]


def gold_labels(events: list[DiplomaticEvent], rows: list[dict]) -> tuple[dict[str, str], int]:
    """event id -> ``story/event`` label, and how many gold reports no coded event matches.

    A gold report is matched by its event id, else (another coder version: ids change) by its
    article and the hash of one of its evidence sentences: a label belongs to what a sentence
    tells, so a re-coded event from the same sentence keeps it.
    """
    by_id = {e.event_id: e for e in events}
    by_sentence: dict[tuple[str, str], list[str]] = {}
    for e in events:
        for ev in e.evidence:
            by_sentence.setdefault((e.article_id, sentence_key(ev.text)), []).append(e.event_id)
    labels: dict[str, str] = {}
    unmatched = 0
    for r in rows:
        if not r.get("event"):
            continue
        label = f"{r['story']}/{r['event']}"
        if r["event_id"] in by_id:
            ids = [r["event_id"]]
        else:
            ids = [i for key in r.get("sentences", []) for i in by_sentence.get((r["article_id"], key), [])]
        if not ids:
            unmatched += 1
        for i in ids:
            labels.setdefault(i, label)
    return labels, unmatched


def gold_metrics(
    events: list[DiplomaticEvent], gold_path: Path, clusters: dict[str, str], articles: set[str] | None = None
) -> dict:
    """Pairwise and B-cubed scores against the hand labels (of the ``articles`` of the split only)."""
    try:
        rows = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read gold {gold_path}: {exc}") from exc
    if articles is not None:
        rows = [r for r in rows if r["article_id"] in articles]
    labels, unmatched = gold_labels(events, rows)
    labelled = sum(1 for r in rows if r.get("event"))
    if labelled and unmatched * 2 > labelled:
        raise InputError(
            f"gold {gold_path}: {unmatched} of {labelled} labelled reports match no coded event "
            "(by event id or evidence sentence): are these the events of the same corpus?"
        )
    pr, tp, predicted, gold = cluster_metrics.pairwise(clusters, labels)
    b3 = cluster_metrics.bcubed(clusters, labels)
    return {
        "gold_reports": len(labels),
        "gold_unmatched": unmatched,
        "gold_events": len(set(labels.values())),
        "stories": len({r["story"] for r in rows}),
        "pairwise_precision": round(pr.precision, 4),
        "pairwise_recall": round(pr.recall, 4),
        "pairs_true": tp,
        "pairs_predicted": predicted,
        "pairs_gold": gold,
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
    }


GOLD_GRID = {
    "threshold": (0.5, 0.55, 0.6, 0.65, 0.66, 0.68, 0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.85, 0.9),
    "min_text": (0.1, 0.2, 0.3),
    "w_text": (1.0, 2.0),
    "w_headline": (0.0, 1.0),
    "max_day_gap": (1, 2),
    "conflict_needs_match": (False, True),
}


def _objective(m: dict) -> tuple:
    """Chosen before the search. Without gold: purity of multi-outlet events >= 0.95 first, then the
    top stories at half, then B-cubed F1. With gold (hand-labelled real-world events): pairwise
    precision >= 0.9 and purity >= 0.95 first, then pairwise recall, then pairwise precision."""
    purity_ok = (m["multi_outlet_purity"] or 0) >= 0.95
    if "gold" in m:
        g = m["gold"]
        return (g["pairwise_precision"] >= 0.9 and purity_ok, g["pairwise_recall"], g["pairwise_precision"])
    p, r = m["bcubed_precision"], m["bcubed_recall"]
    f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return (purity_ok, m["top_stories_at_half"], round(f1, 4))


def grid_search(
    events, story_of, story_outlets, block_days, gold: Path | None = None
) -> tuple[MergeParams, list[tuple], tuple[str, ...]]:
    rows = []
    best: tuple | None = None
    grid = GOLD_GRID if gold is not None else GRID
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        overrides: dict[str, Any] = dict(zip(keys, values, strict=True))
        params = replace(MergeParams(), **overrides)
        clusters = assign(events, "score", params, block_days)
        m = story_metrics(events, story_of, story_outlets, clusters)
        extra: tuple = ()
        if gold is not None:
            m["gold"] = gold_metrics(events, gold, clusters, set(story_of))
            extra = (m["gold"]["pairwise_precision"], m["gold"]["pairwise_recall"])
        rows.append(
            (
                *values,
                m["multi_outlet_purity"],
                m["top_stories_at_half"],
                m["bcubed_precision"],
                m["bcubed_recall"],
                m["share_merged"],
                *extra,
            )
        )
        if best is None or _objective(m) > best[0]:
            best = (_objective(m), params)
    if best is None:
        raise InputError("empty parameter grid")
    head = (*keys, "purity", "top@half", "B3 P", "B3 R", "merged", *(("gold P", "gold R") if gold else ()))
    return best[1], rows, head


def _overrides(items: list[str]) -> dict:
    """``--param threshold=0.55 --param side_conflict_gates=true`` as MergeParams fields."""
    fields = MergeParams.__dataclass_fields__
    out: dict = {}
    for item in items:
        name, _, text = item.partition("=")
        if name not in fields or not text:
            raise InputError(f"--param {item!r}: expected NAME=VALUE with NAME one of {', '.join(fields)}")
        kind = type(getattr(MergeParams(), name))
        try:
            out[name] = text.lower() in ("1", "true", "yes") if kind is bool else kind(text)
        except ValueError as exc:
            raise InputError(f"--param {item!r}: not a {kind.__name__}") from exc
    return out


def _cmd_dedup(args) -> int:
    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"corpus not found: {path}")
    rows = load_corpus(path, "all")
    if not any(r.get("story") for r in rows):
        raise InputError(f"{path}: no article has a 'story' label")
    kept = [r for r in rows if args.split == "all" or corpus_split(r) == args.split]
    story_of = {str(r["id"]): str(r["story"]) for r in kept if r.get("story")}
    story_outlets: dict[str, set[str]] = {}
    for r in kept:
        if r.get("story"):
            story_outlets.setdefault(str(r["story"]), set()).add(str(r.get("source") or r["id"]))
    if args.events:
        events = read_events(Path(args.events))
    else:
        from streams.adapters.nlp import load_coder

        events = [e for out in load_coder().process_batch([raw_of(r) for r in kept]) for e in out.events]
    events = [e for e in events if e.article_id in story_of]
    if not events:
        raise InputError(f"no coded event belongs to an article of {path} (split {args.split})")
    counts = {s: len(v) for s, v in story_outlets.items()}
    params = replace(MergeParams(), **_overrides(args.param or []))
    if args.grid:
        gold = Path(args.gold) if args.gold else None
        params, grid_rows, head = grid_search(events, story_of, counts, args.block_days, gold)
        print(text_table(head, grid_rows))
        print(f"chosen: {asdict(params)}")
    clusters = assign(events, args.method, params, args.block_days)
    result = story_metrics(events, story_of, counts, clusters)
    print(
        text_table(
            ("story", "outlets", "with events", "largest canonical: outlets", "reports"),
            [
                (
                    r["story"],
                    r["outlets"],
                    r["outlets_with_events"],
                    r["largest_outlets"],
                    r["largest_reports"],
                )
                for r in result["top_stories"]
            ],
        )
    )
    summary = [
        (k, result[k])
        for k in (
            "events",
            "canonical_events",
            "share_merged",
            "bcubed_precision",
            "bcubed_recall",
            "multi_outlet",
            "multi_outlet_purity",
            "top_stories_at_half",
            "top_stories_at_half_of_corpus_outlets",
        )
    ]
    if args.gold:
        result["gold"] = gold_metrics(events, Path(args.gold), clusters, set(story_of))
        summary += [(f"gold {k}", v) for k, v in result["gold"].items()]
    print(text_table(("metric", "value"), summary))
    result.update(
        dataset=path.name,
        split=args.split,
        method=args.method,
        params=asdict(params) if args.method == "score" else None,
    )
    print(json.dumps(result, sort_keys=True))
    return 0


def register_dedup(sub) -> None:
    p = sub.add_parser("dedup", help="canonical events against story labels (B-cubed, purity, largest)")
    p.add_argument("path", help="JSONL corpus of raw articles with a 'story' label (news_cluster)")
    p.add_argument(
        "--events", metavar="FILE", help="its coded events (wirewatch code PATH); default: code it here"
    )
    p.add_argument(
        "--split",
        choices=CORPUS_SPLITS,
        default="all",
        help="frozen halves by story hash: weights were chosen on dev, report test",
    )
    p.add_argument(
        "--method",
        choices=("score", "key"),
        default="score",
        help="score: the canonical stage (default); key: the old dyad/root/3-day key",
    )
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="override a merge parameter (streams.core.similarity.MergeParams), repeatable",
    )
    p.add_argument(
        "--block-days",
        type=int,
        default=canonical.DEFAULT_BLOCK_DAYS,
        metavar="N",
        help=f"days per block (default {canonical.DEFAULT_BLOCK_DAYS})",
    )
    p.add_argument(
        "--grid",
        action="store_true",
        help="search the weights and threshold on this split first (use with --split dev)",
    )
    p.add_argument("--gold", metavar="FILE", help="hand-labelled real-world events (JSONL, ids and labels)")
    p.set_defaults(func=_cmd_dedup)

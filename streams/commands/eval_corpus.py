"""``wirewatch eval corpus PATH``: events per article, by category, on a labelled news corpus.

Precision needs negatives: most wire copy holds nothing to code. On a JSONL corpus of raw
articles with a ``category`` field (the BBC set: business, entertainment, politics, sport,
tech; news_cluster: world, business, entertainment, science, sports, technology), this codes
every article and prints, per category, the articles, the events, events per article and the
share of articles with any event. Non-political categories should yield (almost) none.

Splits, frozen before the coder was reworked (docs/evaluation.md): an article is in ``test``
when ``sha256("corpus-split-v1:" + key)`` is even, where the key is its ``story`` label when
it has one (so every outlet's report of one story falls on the same side) and its id
otherwise; ``dev`` holds the rest. Rules are read from ``dev`` events only.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from schemas.articles import RawArticle
from streams.errors import InputError

CORPUS_SPLITS = ("all", "dev", "test")


def corpus_split(row: dict) -> str:
    key = str(row.get("story") or row.get("id") or "")
    digest = hashlib.sha256(f"corpus-split-v1:{key}".encode()).hexdigest()
    return "test" if int(digest, 16) % 2 == 0 else "dev"


def load_corpus(path: Path, split: str = "all") -> list[dict]:
    rows = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise InputError(f"{path}:{n}: not JSON ({exc})") from exc
                if split == "all" or corpus_split(row) == split:
                    rows.append(row)
    except OSError as exc:
        raise InputError(f"cannot read corpus {path}: {exc}") from exc
    return rows


def raw_of(row: dict) -> RawArticle:
    from streams.adapters.inputs import parse_published_at

    fields = {k: row[k] for k in ("id", "source", "url", "title", "body") if row.get(k)}
    if row.get("published_at"):
        fields["published_at"] = parse_published_at(str(row["published_at"]))
    return RawArticle.model_validate(fields)


def events_per_article(path: Path, *, coder, split: str = "all") -> dict:
    rows = load_corpus(path, split)
    outcomes = coder.process_batch([raw_of(r) for r in rows])
    per: dict[str, Counter] = {}
    for row, out in zip(rows, outcomes, strict=True):
        c = per.setdefault(str(row.get("category") or "-"), Counter())
        c["articles"] += 1
        c["events"] += len(out.events)
        c["with_events"] += bool(out.events)
    return {
        cat: {
            "articles": c["articles"],
            "events": c["events"],
            "events_per_article": round(c["events"] / c["articles"], 3),
            "share_with_events": round(c["with_events"] / c["articles"], 3),
        }
        for cat, c in sorted(per.items())
    }


def _cmd_corpus(args) -> int:
    from streams.adapters.nlp import load_coder
    from streams.commands.tables import text_table as _table

    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"corpus not found: {path}")
    result = events_per_article(path, coder=load_coder(), split=args.split)
    rows = [
        (cat, v["articles"], v["events"], v["events_per_article"], v["share_with_events"])
        for cat, v in result.items()
    ]
    print(_table(("category", "articles", "events", "events/article", "with events"), rows))
    print(json.dumps({"dataset": path.name, "split": args.split, "categories": result}, sort_keys=True))
    return 0


def register_corpus(sub) -> None:
    p = sub.add_parser("corpus", help="events per article by category on a labelled JSONL corpus")
    p.add_argument("path", help="JSONL of raw articles with a 'category' field")
    p.add_argument("--split", choices=CORPUS_SPLITS, default="all", help="frozen dev/test halves")
    p.set_defaults(func=_cmd_corpus)

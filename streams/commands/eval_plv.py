"""``wirewatch eval plv [PATH]``: the coder against human-coded news sentences with marked spans.

The file is the Zero-Shot-PLOVER data set's TSV (``PLV_train.tsv``: columns ``sentence_id``,
``sentence``, ``source``, ``target``, ``gold_root``; its roots predate PLOVER's split of YIELD
into CONCEDE and RETREAT). It states no licence: ``wirewatch codebook install`` fetches it
from its upstream repository into the user's cache (it is never committed here), for
evaluation only; nothing is trained on it.

Each sentence is coded as a one-paragraph article. Metrics:

* ``type_recall``: sentences where some emitted event has the gold PLOVER type;
* ``type_dyad``: sentences where some emitted event has the gold type, a source whose
  mention overlaps the gold source span and (when the gold marks one) a target whose
  mention overlaps the gold target span;
* ``precision``: emitted events whose type is the sentence's gold type, over all emitted
  events (every sentence holds one gold event, so any other event counts against it).

Splits, frozen before the coder was reworked on this data (see docs/evaluation.md): a
sentence is in ``test`` when ``sha256("plv-split-v1:" + sentence_id)`` is 0 modulo 3, else
in ``dev``. Rules are written from ``dev`` only; ``test`` is reported, never read.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from schemas.articles import RawArticle
from schemas.events import Actor, DiplomaticEvent
from streams.errors import InputError

PLV_SPLITS = ("all", "dev", "test")
# PLV's labels name YIELD where PLOVER 2021 has CONCEDE and RETREAT.
_PLV_NAMES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


@dataclass(frozen=True)
class PlvRecord:
    id: str
    sentence: str
    source: str
    target: str
    root: str


def plv_split(record_id: str) -> str:
    digest = hashlib.sha256(f"plv-split-v1:{record_id}".encode()).hexdigest()
    return "test" if int(digest, 16) % 3 == 0 else "dev"


def load_plv(path: Path) -> list[PlvRecord]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read PLV file {path}: {exc}") from exc
    need = {"sentence_id", "sentence", "source", "target", "gold_root"}
    if not rows or not need <= rows[0].keys():
        raise InputError(f"{path}: expected a TSV with columns {', '.join(sorted(need))}")
    return [
        PlvRecord(r["sentence_id"], r["sentence"], r["source"] or "", r["target"] or "", r["gold_root"])
        for r in rows
        if r["sentence"] and r["gold_root"]
    ]


def plv_type(event: DiplomaticEvent) -> str:
    return _PLV_NAMES.get(event.plover.event, event.plover.event)


def _span(text: str, part: str) -> tuple[int, int] | None:
    """Where the gold span stands in the (cleaned) sentence; a loose search when the cleaner
    changed its white space or punctuation."""
    part = part.strip()
    if not part:
        return None
    k = text.find(part)
    if k < 0:
        k = text.lower().find(part.lower())
    if k < 0:
        words = part.split()
        if not words:
            return None
        first, last = text.find(words[0]), text.rfind(words[-1])
        if first < 0 or last < first:
            return None
        return first, last + len(words[-1])
    return k, k + len(part)


def _overlaps(actor: Actor | None, span: tuple[int, int] | None) -> bool:
    if actor is None or span is None or actor.start is None or actor.end is None:
        return False
    return actor.start < span[1] and span[0] < actor.end


def eval_plv(path: Path, *, coder, split: str = "all") -> dict:
    records = [r for r in load_plv(path) if split == "all" or plv_split(r.id) == split]
    raws = [RawArticle(id=f"plv-{r.id}", title="", body=r.sentence) for r in records]
    outcomes = coder.process_batch(raws)
    per_type: dict[str, Counter] = {}
    confusion: dict[str, Counter] = {}
    found = dyad = emitted = correct = 0
    details = []
    for rec, out in zip(records, outcomes, strict=True):
        c = per_type.setdefault(rec.root, Counter())
        c["gold"] += 1
        types = [(plv_type(e), e) for e in out.events]
        emitted += len(types)
        correct += sum(1 for t, _ in types if t == rec.root)
        for t, _ in types:
            per_type.setdefault(t, Counter())["emitted"] += 1
            if t == rec.root:
                per_type[t]["correct"] += 1
        conf = confusion.setdefault(rec.root, Counter())
        for t in {t for t, _ in types} or {"(none)"}:
            conf[t] += 1
        matches = [e for t, e in types if t == rec.root]
        src = _span(out.clean.text, rec.source)
        tgt = _span(out.clean.text, rec.target)
        ok_type = bool(matches)
        ok_dyad = any(_overlaps(e.source, src) and (tgt is None or _overlaps(e.target, tgt)) for e in matches)
        found += ok_type
        dyad += ok_dyad
        c["found"] += ok_type
        c["dyad"] += ok_dyad
        details.append(
            {
                "id": rec.id,
                "gold": rec.root,
                "emitted": [
                    {
                        "type": t,
                        "code": e.cameo.code,
                        "source": e.source.text,
                        "target": e.target.text if e.target else None,
                        "confidence": e.confidence,
                    }
                    for t, e in types
                ],
                "type_ok": ok_type,
                "dyad_ok": ok_dyad,
            }
        )
    n = len(records) or 1
    return {
        "metrics": {
            "dataset": "plv",
            "split": split,
            "records": len(records),
            "type_recall": round(found / n, 4),
            "type_dyad": round(dyad / n, 4),
            "precision": round(correct / emitted, 4) if emitted else 0.0,
            "emitted": emitted,
            "coder_version": getattr(outcomes[0].events[0], "coder_version", None)
            if outcomes and outcomes[0].events
            else None,
        },
        "per_type": per_type,
        "confusion": confusion,
        "details": details,
    }


def _cmd_plv(args) -> int:
    from streams.adapters.nlp import load_coder
    from streams.commands.tables import text_table as _table

    if args.path:
        path = Path(args.path)
    else:
        from streams.codebook.location import codebook_file

        path = codebook_file(PLV_GOLD)
    if not path.is_file():
        raise InputError(f"PLV file not found: {path}")
    result = eval_plv(path, coder=load_coder(), split=args.split)
    rows = []
    for t, c in sorted(result["per_type"].items()):
        prec = f"{c['correct'] / c['emitted']:.2f}" if c["emitted"] else "-"
        rows.append((t, c["gold"], c["found"], c["dyad"], c["emitted"], prec))
    print(_table(("type", "gold", "type found", "type+dyad", "emitted", "precision"), rows))
    print()
    types = sorted(result["per_type"])
    conf_rows = [
        (
            g,
            *(result["confusion"][g].get(t, 0) or "." for t in types),
            result["confusion"][g].get("(none)", 0),
        )
        for g in sorted(result["confusion"])
    ]
    print("confusion (rows: gold type; columns: emitted types in the sentence)")
    print(_table(("gold", *(t[:5] for t in types), "none"), conf_rows))
    print()
    if args.details:
        with Path(args.details).open("w", encoding="utf-8") as fh:
            for d in result["details"]:
                fh.write(json.dumps(d) + "\n")
    print(json.dumps(result["metrics"], sort_keys=True))
    return 0


# in the installed codebook (an evaluation-only entry of streams/codebook/sources.toml)
PLV_GOLD = "gold/plv/PLV_train.tsv"


def register_plv(sub) -> None:
    p = sub.add_parser("plv", help="human-coded news sentences with marked spans (PLV_train.tsv)")
    p.add_argument(
        "path", nargs="?", help=f"PLV_train.tsv (Zero-Shot-PLOVER; default: the installed {PLV_GOLD})"
    )
    p.add_argument(
        "--split",
        choices=PLV_SPLITS,
        default="all",
        help="dev: the sentences rules may be written from; test: held out (frozen hash split)",
    )
    p.add_argument("--details", help="write one JSON line per sentence (gold, emitted, verdicts) here")
    p.set_defaults(func=_cmd_plv)

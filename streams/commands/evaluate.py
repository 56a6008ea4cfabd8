"""``wirewatch eval plover PATH`` and ``wirewatch eval petrarch PATH --dictionaries DIR``.

Both print a table and, as the last line, one JSON object of the metrics.

PLOVER gold (``PLOVER_GSR_CAMEO.json``, 323 records from the CAMEO manual's
examples; the ``DOCUMENT`` record is skipped). Each record's sentence is coded as a
one-paragraph article dated with the record's date. The gold uses the 2016 PLOVER
event names; our events carry the 2021 ones, so an emitted event's type is read
from its CAMEO code with the 2016 names (:func:`plover_2016`). Metrics:

* ``event_recall``: records where some emitted event has the gold type;
* ``event_dyad``: records where some emitted event has the gold type, a source whose
  code starts with the first three letters of one of the gold sources' codes and,
  when the gold names a target, a target likewise (gold without a target: only the
  source counts; compound gold actors: any of them will do);
* ``precision``: emitted events whose type is the record's gold type, over all
  emitted events (of all records).

PETRARCH-2 validation suite (``PETR.UnitTest.records.xml`` with the fictional
``PETR.Validate.*`` dictionaries, which also use non-CAMEO codes): each sentence is
coded (raw codings, before events are built, since many expected codes are not
CAMEO codes) and a record counts when every expected (source, target, root) is
among the codings (``root_dyad``); ``root_dyad_any`` when at least one is;
``exact`` when every expected full code is. Records expecting no event
(``noevents``, discards) are scored separately (``no_event_ok``).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

from schemas.articles import RawArticle
from streams.commands.tables import text_table as _table
from streams.errors import InputError

SPLITS = ("all", "odd", "even")


def plover_2016(code: str) -> str | None:
    """The 2016 PLOVER event name (the gold's) of a CAMEO code; None for statements."""
    root = code[:2]
    if root == "01":
        return None
    if root in ("02", "10"):
        return "DEMAND"
    if root == "09":
        return "INVESTIGATE"
    if root == "11":
        return "DISAPPROVE"
    if root == "08":
        return "RETREAT" if code[:3] in ("084", "085", "086", "087") else "CONCEDE"
    if root == "16":
        # 2016 PLOVER kept embargoes and sanctions (163) under SANCTION; the 2021 table moved them to COERCE
        return "SANCTION"
    if root == "17":
        return "COERCE"
    if root == "19":
        return "COERCE" if code[:3] in ("191", "192") else "FIGHT"
    if root in ("18", "20"):
        return "ASSAULT"
    return {
        "03": "AGREE",
        "04": "CONSULT",
        "05": "SUPPORT",
        "06": "COOPERATE",
        "07": "AID",
        "12": "REJECT",
        "13": "THREATEN",
        "14": "PROTEST",
        "15": "MOBILIZE",
    }.get(root)


def _in_split(idx: int, split: str) -> bool:
    return split == "all" or (idx % 2 == 1) == (split == "odd")


def _actor_keys(actor) -> set[str]:
    """What an emitted actor can match a gold code on: its code's first three letters and its
    ISO3 country (Phoenix codes some countries historically, e.g. SCGSRB for Serbia in
    Serbia and Montenegro, whose country is SRB)."""
    if actor is None:
        return set()
    return {k[:3].upper() for k in (actor.code, actor.country) if k}


# Old KEDS-era country codes the gold file uses for countries CAMEO and ISO 3166 spell
# otherwise; the gold's own actor texts say which country is meant ("Japan", "Tokyo",
# "Japanese Prime Minister ..." for JAP; "Italy" for ITL; "Vietnamese-led forces" for VTN).
# Documented with their effect in docs/evaluation.md; nothing else is aliased.
GOLD_CODE_ALIASES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def _gold_codes(actors: object) -> set[str]:
    """First three letters of the gold actors' codes (one record has a malformed target),
    old country codes read as their ISO3 equivalents (:data:`GOLD_CODE_ALIASES`)."""
    if not isinstance(actors, list):
        return set()
    heads = {str(a.get("code", ""))[:3].upper() for a in actors if isinstance(a, dict) and a.get("code")}
    return {GOLD_CODE_ALIASES.get(h, h) for h in heads}


def _load_json(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read PLOVER gold {path}: {exc}") from exc
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of records")
    return data


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def eval_plover(path: Path, *, coder, split: str = "all") -> tuple[dict, list[tuple]]:
    records = [r for r in _load_json(path) if r.get("event") and r["event"] != "DOCUMENT" and r.get("text")]
    records = [r for k, r in enumerate(records) if _in_split(k, split)]
    raws = [
        RawArticle(id=str(r.get("id", k)), title="", body=r["text"], published_at=_published(r.get("date")))
        for k, r in enumerate(records)
    ]
    outcomes = coder.process_batch(raws)
    found = dyad_ok = emitted = correct = 0
    per_type: dict[str, Counter] = {}
    for rec, out in zip(records, outcomes, strict=True):
        gold = rec["event"]
        c = per_type.setdefault(gold, Counter())
        c["gold"] += 1
        types = [(plover_2016(e.cameo.code), e) for e in out.events]
        emitted += len(types)
        correct += sum(1 for t, _ in types if t == gold)
        matches = [e for t, e in types if t == gold]
        if matches:
            found += 1
            c["found"] += 1
        srcs = _gold_codes(rec.get("source"))
        tgts = _gold_codes(rec.get("target"))
        if any(_actor_keys(e.source) & srcs and (not tgts or _actor_keys(e.target) & tgts) for e in matches):
            dyad_ok += 1
            c["dyad"] += 1
    n = len(records) or 1
    metrics = {
        "dataset": "plover",
        "split": split,
        "records": len(records),
        "event_recall": round(found / n, 4),
        "event_dyad": round(dyad_ok / n, 4),
        "precision": round(correct / emitted, 4) if emitted else 0.0,
        "emitted": emitted,
    }
    rows = [(t, c["gold"], c["found"], c["dyad"]) for t, c in sorted(per_type.items())]
    return metrics, rows


@dataclass(frozen=True)
class PetrRecord:
    id: str
    date: str
    text: str
    expected: tuple[tuple[str, str, str], ...]  # (source, target, code)
    no_events: bool


_SENT = re.compile(r"<Sentence\s([^>]*)>(.*?)</Sentence>", re.S)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_CODING = re.compile(r"<EventCoding\s([^>]*)>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


def parse_petrarch_records(text: str) -> list[PetrRecord]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    out = []
    for attrs, body in _SENT.findall(text):
        a = dict(_ATTR.findall(attrs))
        tm = _TEXT.search(body)
        if not tm:
            continue
        expected = []
        no_events = False
        for coding in _CODING.findall(body):
            # some records quote codes with single quotes around double quotes
            ca = dict(_ATTR.findall(coding.replace("'", "")))
            if "noevents" in coding or "error" in ca:
                no_events = True
                continue
            if {"sourcecode", "targetcode", "eventcode"} <= ca.keys():
                expected.append((ca["sourcecode"], ca["targetcode"], ca["eventcode"]))
        out.append(
            PetrRecord(
                a.get("id", ""),
                a.get("date", ""),
                " ".join(unescape(tm.group(1)).split()),
                tuple(expected),
                no_events and not expected,
            )
        )
    return out


def eval_petrarch(
    path: Path, *, nlp, codebook, split: str = "all", petrarch_conventions: bool = True
) -> tuple[dict, list[tuple]]:
    from streams.core.clean import clean_article
    from streams.core.codings import find_codings
    from streams.core.extract import extract

    try:
        records = parse_petrarch_records(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        raise InputError(f"cannot read PETRARCH records {path}: {exc}") from exc
    records = [r for k, r in enumerate(records) if _in_split(k, split)]
    scored = [r for r in records if r.expected]
    quiet = [r for r in records if r.no_events]
    counts: Counter[str] = Counter()
    per_cat: dict[str, Counter[str]] = {}
    for rec in records:
        raw = RawArticle(id=rec.id, title="", body=rec.text, published_at=_published(rec.date))
        clean = clean_article(raw)
        codings: set[tuple[str, str, str]] = set()
        if clean.codable and clean.text.strip():
            doc = nlp(clean.text)
            mentions = extract(doc, codebook=codebook, published_at=clean.published_at)
            conv = petrarch_conventions
            for c in find_codings(doc, mentions, codebook=codebook, main_only=not conv, readings=not conv):
                codings.add(
                    (c.source.actor.code or "", (c.target.actor.code or "") if c.target else "", c.code)
                )
        cat = per_cat.setdefault(rec.id.split("-")[0], Counter())
        if rec.expected:
            cat["records"] += 1
            roots = {(s, t, code[:2]) for s, t, code in codings}
            hits = [(s, t, code[:2]) in roots for s, t, code in rec.expected]
            exact = all(e in codings for e in rec.expected)
            counts["root_dyad"] += all(hits)
            counts["root_dyad_any"] += any(hits)
            counts["exact"] += exact
            cat["root_dyad"] += all(hits)
        elif rec.no_events:
            counts["no_event_ok"] += not codings
    n = len(scored) or 1
    metrics = {
        "dataset": "petrarch",
        "split": split,
        "records": len(records),
        "scored_records": len(scored),
        "root_dyad": round(counts["root_dyad"] / n, 4),
        "root_dyad_any": round(counts["root_dyad_any"] / n, 4),
        "exact": round(counts["exact"] / n, 4),
        "no_event_records": len(quiet),
        "no_event_ok": round(counts["no_event_ok"] / len(quiet), 4) if quiet else 0.0,
        "conventions": "petrarch" if petrarch_conventions else "wirewatch",
    }
    rows = [(cat, c["records"], c["root_dyad"]) for cat, c in sorted(per_cat.items()) if c["records"]]
    return metrics, rows


def _cmd_plover(args: argparse.Namespace) -> int:
    from streams.adapters.nlp import load_nlp
    from streams.codebook import load_codebook
    from streams.core.pipeline import Coder
    from streams.settings import get_settings

    path = Path(args.path) if args.path else gold_file(PLOVER_GOLD)
    if not path.is_file():
        raise InputError(f"PLOVER gold file not found: {path}")
    coder = Coder(load_nlp(get_settings().nlp.model), load_codebook())
    metrics, rows = eval_plover(path, coder=coder, split=args.split)
    print(_table(("gold type", "records", "type found", "type+dyad"), rows))
    print()
    print(_table(("metric", "value"), [(k, v) for k, v in metrics.items() if isinstance(v, float)]))
    print(json.dumps(metrics, sort_keys=True))
    return 0


def _cmd_petrarch(args: argparse.Namespace) -> int:
    from streams.adapters.nlp import load_nlp
    from streams.codebook import load_codebook
    from streams.settings import get_settings

    path = Path(args.path) if args.path else gold_file(PETRARCH_RECORDS)
    if not path.is_file():
        raise InputError(f"PETRARCH records file not found: {path}")
    dictionaries = Path(args.dictionaries) if args.dictionaries else gold_file(PETRARCH_RECORDS).parent
    codebook = load_codebook(dictionaries)
    metrics, rows = eval_petrarch(
        path,
        nlp=load_nlp(get_settings().nlp.model),
        codebook=codebook,
        split=args.split,
        petrarch_conventions=not args.wirewatch_readings,
    )
    print(_table(("category", "records", "root+dyad"), rows))
    print()
    print(_table(("metric", "value"), [(k, v) for k, v in metrics.items() if isinstance(v, float)]))
    print(json.dumps(metrics, sort_keys=True))
    return 0


# the gold sets in the installed codebook (manifest paths, see streams/codebook/sources.toml)
PLOVER_GOLD = "gold/plover/PLOVER_GSR_CAMEO.json"
PETRARCH_RECORDS = "gold/petrarch2/PETR.UnitTest.records.xml"  # its PETR.Validate.* dictionaries beside it


def gold_file(path: str) -> Path:
    """The installed copy of a gold set (one line naming the install command when it is missing)."""
    from streams.codebook.location import codebook_file

    return codebook_file(path)


def register(subparsers) -> None:
    p = subparsers.add_parser("eval", help="score the coder on gold-standard sets")
    sub = p.add_subparsers(dest="eval_command", metavar="SET")
    pl = sub.add_parser("plover", help="PLOVER gold records (JSON list)")
    pl.add_argument("path", nargs="?", help=f"PLOVER_GSR_CAMEO.json (default: the installed {PLOVER_GOLD})")
    pl.add_argument(
        "--split", choices=SPLITS, default="all", help="odd/even records only (held-out reporting)"
    )
    pl.set_defaults(func=_cmd_plover)
    pe = sub.add_parser("petrarch", help="PETRARCH-2 validation suite (UnitTest records XML)")
    pe.add_argument(
        "path", nargs="?", help=f"PETR.UnitTest.records.xml (default: the installed {PETRARCH_RECORDS})"
    )
    pe.add_argument(
        "--dictionaries",
        help="folder with the PETR.Validate.* dictionaries (default: the installed gold/petrarch2/)",
    )
    pe.add_argument(
        "--split", choices=SPLITS, default="all", help="odd/even records only (held-out reporting)"
    )
    pe.add_argument(
        "--wirewatch-readings",
        action="store_true",
        help="code as the stream does (main clause only; future, negated and intended acts "
        "recoded as intents, threats, refusals)",
    )
    pe.set_defaults(func=_cmd_petrarch)
    from streams.commands.eval_plv import register_plv

    register_plv(sub)
    from streams.commands.eval_corpus import register_corpus

    register_corpus(sub)
    from streams.commands.eval_judged import register_judged

    register_judged(sub)
    from streams.commands.eval_when import register_when

    register_when(sub)
    from streams.commands.eval_dedup import register_dedup

    register_dedup(sub)

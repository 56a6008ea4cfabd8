"""``wirewatch eval judged VERDICTS.jsonl``: rates of a hand-judged sample of emitted events.

A judged file holds one JSON object per event, as ``../shared/JUDGING.md`` defines the
verdicts: ``event_id``, ``event_ok``, ``type_ok``, ``plover_ok``, ``source_ok``,
``target_ok``, ``modality_ok``, ``fully_correct`` and a ``failure`` label list; optionally
``confidence`` (the event's) — else ``--events`` gives the coded events to read it from.
The command prints each rate with its 95 % Wilson interval, the failure kinds, and the
share of fully correct events by confidence band (does confidence mean something?).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from streams.errors import InputError

VERDICTS = ("event_ok", "type_ok", "plover_ok", "source_ok", "target_ok", "modality_ok", "fully_correct")
BANDS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 1.01))


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of k successes in n."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def judged_rates(verdicts: list[dict], confidence: dict[str, float] | None = None) -> dict:
    n = len(verdicts)
    rates = {}
    for key in VERDICTS:
        k = sum(1 for v in verdicts if v.get(key) is True)
        lo, hi = wilson(k, n)
        rates[key] = {
            "k": k,
            "n": n,
            "rate": round(k / n, 3) if n else 0.0,
            "ci95": [round(lo, 3), round(hi, 3)],
        }
    failures: Counter[str] = Counter()
    for v in verdicts:
        for kind in str(v.get("failure") or "").split(","):
            if kind.strip():
                failures[kind.strip()] += 1
    bands = []
    conf = {v["event_id"]: v["confidence"] for v in verdicts if isinstance(v.get("confidence"), (int, float))}
    conf.update(confidence or {})
    for lo, hi in BANDS:
        inside = [v for v in verdicts if v["event_id"] in conf and lo <= conf[v["event_id"]] < hi]
        k = sum(1 for v in inside if v.get("fully_correct") is True)
        bands.append(
            {
                "band": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                "n": len(inside),
                "fully_correct": k,
                "rate": round(k / len(inside), 3) if inside else None,
            }
        )
    return {"events": n, "rates": rates, "failures": dict(failures.most_common()), "confidence_bands": bands}


def _cmd_judged(args) -> int:
    from streams.commands.tables import text_table

    verdicts = []
    for p in args.paths:
        verdicts.extend(_jsonl(Path(p)))
    if not verdicts:
        raise InputError("no verdicts to read")
    confidence = None
    if args.events:
        confidence = {e["event_id"]: e["confidence"] for p in args.events for e in _jsonl(Path(p))}
    result = judged_rates(verdicts, confidence)
    rows = [
        (k, f"{r['k']}/{r['n']}", r["rate"], f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}")
        for k, r in result["rates"].items()
    ]
    print(text_table(("verdict", "count", "rate", "95% Wilson"), rows))
    print()
    print(text_table(("failure kind", "events"), list(result["failures"].items())))
    print()
    print(
        text_table(
            ("confidence", "events", "fully correct", "rate"),
            [
                (b["band"], b["n"], b["fully_correct"], b["rate"] if b["rate"] is not None else "-")
                for b in result["confidence_bands"]
            ],
        )
    )
    print(json.dumps(result, sort_keys=True))
    return 0


def register_judged(sub) -> None:
    p = sub.add_parser(
        "judged", help="rates of hand-judged events (JUDGING.md verdicts), with Wilson intervals"
    )
    p.add_argument("paths", nargs="+", help="JSONL verdict files")
    p.add_argument(
        "--events", nargs="*", help="the coded events (JSONL) to read each event's confidence from"
    )
    p.set_defaults(func=_cmd_judged)

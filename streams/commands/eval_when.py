"""``wirewatch eval dates|places VERDICTS.jsonl``: how often a hand-judged sample's event
dates and places are the ones a reader would agree with (issue 17).

A verdict line holds the event's id and, as ``docs/evaluation.md`` ("Dates and places")
defines them: ``event_ok`` (JUDGING.md; only real events are scored), ``date_ok``,
``date_failure``, ``place_named`` (the text says where the act happened),
``place_country_ok``, ``place_city_ok`` (city or first-level division) and
``place_failure``; optionally the event's ``event_date``, ``event_date_provenance`` and
``location_provenance`` — else ``--events`` gives the coded events to read them from.
Each rate is printed with its 95 % Wilson interval, then by provenance, then the failure
kinds; the last line is one JSON object.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from streams.commands.eval_judged import _jsonl, wilson
from streams.errors import InputError


def _rate(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"k": k, "n": n, "rate": round(k / n, 3) if n else 0.0, "ci95": [round(lo, 3), round(hi, 3)]}


def _merge(verdicts: list[dict], events: dict[str, dict]) -> list[dict]:
    out = []
    for v in verdicts:
        if "event_id" not in v:
            raise InputError(f"a verdict without an event_id: {json.dumps(v)[:120]}")
        e = events.get(v["event_id"], {})
        row = dict(v)
        for key in ("event_date", "event_date_provenance", "location_provenance", "location"):
            if key not in row and key in e:
                row[key] = e[key]
        out.append(row)
    return out


def _real(verdicts: list[dict]) -> list[dict]:
    return [v for v in verdicts if v.get("event_ok") is True]


def _failures(rows: list[dict], key: str) -> dict[str, int]:
    c: Counter[str] = Counter()
    for v in rows:
        for kind in str(v.get(key) or "").split(","):
            if kind.strip():
                c[kind.strip()] += 1
    return dict(c.most_common())


def _by(rows: list[dict], group, ok_key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for v in rows:
        groups.setdefault(group(v), []).append(v)
    return {
        g: _rate(sum(1 for v in vs if v.get(ok_key) is True), len(vs)) for g, vs in sorted(groups.items())
    }


def _date_kind(v: dict) -> str:
    d = v.get("event_date")
    if d is None:
        return "none"
    return "range" if isinstance(d, dict) else "day"


def date_rates(verdicts: list[dict]) -> dict:
    rows = [v for v in _real(verdicts) if isinstance(v.get("date_ok"), bool)]
    n = len(rows)
    return {
        "events": len(verdicts),
        "real_events": n,
        "date_ok": _rate(sum(1 for v in rows if v["date_ok"]), n),
        "by_kind": _by(rows, _date_kind, "date_ok"),
        "by_provenance": _by(rows, lambda v: str(v.get("event_date_provenance") or "-"), "date_ok"),
        "failures": _failures(rows, "date_failure"),
    }


def place_rates(verdicts: list[dict]) -> dict:
    rows = [v for v in _real(verdicts) if isinstance(v.get("place_country_ok"), bool)]
    n = len(rows)
    placed = [v for v in rows if v.get("location") is not None or v.get("location_provenance")]
    named = [v for v in rows if v.get("place_named") is True]
    return {
        "events": len(verdicts),
        "real_events": n,
        "country_ok": _rate(sum(1 for v in rows if v["place_country_ok"]), n),
        "city_or_admin1_ok": _rate(sum(1 for v in rows if v.get("place_city_ok") is True), n),
        "text_names_a_place": len(named),
        "placed": len(placed),
        "unplaced_where_named": sum(1 for v in named if v not in placed),
        "placed_where_none_named": sum(1 for v in placed if v.get("place_named") is False),
        "by_provenance": _by(rows, lambda v: str(v.get("location_provenance") or "-"), "place_country_ok"),
        "failures": _failures(rows, "place_failure"),
    }


def _read(args) -> list[dict]:
    verdicts: list[dict] = []
    for p in args.paths:
        verdicts.extend(_jsonl(Path(p)))
    if not verdicts:
        raise InputError("no verdicts to read")
    events: dict[str, dict] = {}
    for p in args.events or ():
        for e in _jsonl(Path(p)):
            if "event_id" in e:
                events[e["event_id"]] = e
    return _merge(verdicts, events)


def _print_rates(title: str, rates: dict[str, dict]) -> None:
    from streams.commands.tables import text_table

    rows = [
        (k, f"{r['k']}/{r['n']}", r["rate"], f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}")
        for k, r in rates.items()
    ]
    print(text_table((title, "right", "rate", "95% Wilson"), rows))
    print()


def _cmd_dates(args) -> int:
    result = date_rates(_read(args))
    _print_rates("date", {"all real events": result["date_ok"]})
    _print_rates("date kind", result["by_kind"])
    _print_rates("date provenance", result["by_provenance"])
    from streams.commands.tables import text_table

    print(text_table(("date failure", "events"), list(result["failures"].items())))
    print(json.dumps(result, sort_keys=True))
    return 0


def _cmd_places(args) -> int:
    result = place_rates(_read(args))
    _print_rates(
        "place", {"country level": result["country_ok"], "city or admin-1 level": result["city_or_admin1_ok"]}
    )
    print(
        f"text names where: {result['text_names_a_place']} of {result['real_events']}; "
        f"placed: {result['placed']}; unplaced where named: {result['unplaced_where_named']}; "
        f"placed where none named: {result['placed_where_none_named']}\n"
    )
    _print_rates("place provenance (country)", result["by_provenance"])
    from streams.commands.tables import text_table

    print(text_table(("place failure", "events"), list(result["failures"].items())))
    print(json.dumps(result, sort_keys=True))
    return 0


def register_when(sub) -> None:
    for name, func, what in (
        ("dates", _cmd_dates, "event dates"),
        ("places", _cmd_places, "event places"),
    ):
        p = sub.add_parser(
            name, help=f"how often a hand-judged sample's {what} are right (docs/evaluation.md)"
        )
        p.add_argument("paths", nargs="+", help="JSONL verdict files")
        p.add_argument(
            "--events", nargs="*", help="the coded events (JSONL) to read dates, places and provenance from"
        )
        p.set_defaults(func=func)

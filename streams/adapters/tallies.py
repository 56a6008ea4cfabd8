"""What the materialized tables hold, as plain JSON-able dicts, and how they change.

No faust here: the table agents call these functions on the value stored under
one key and write back what they return, so the arithmetic is testable alone.

Exactness under redelivery (crash, rebalance, replay) comes from storing each
event's contribution under its event id instead of adding to counters: applying
the same event twice overwrites one entry, and a retraction removes it. Counts
are computed from the entries when read.

Three tables:

* ``ledger`` — article id → the event ids (and table keys) its latest coding
  produced, plus the ids retired by a re-coding. Re-coding an article (a coder
  upgrade changes a CAMEO code, hence the event id) retracts the events the new
  coding no longer produces, wherever they were counted.
* ``dyads`` — ``SRC|TGT|YYYY-MM-DD`` → {event id: contribution}. One key per
  dyad-day keeps every value small; a date range is gathered across keys.
* ``actors`` — actor code → {event id: summary}, the latest ``limit`` events.
* ``events`` — ``YYYY-MM-DD|event id`` → the event's flat row (``streams.adapters.columns``),
  one key per event so an export of a date range reads only the keys of its days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from schemas import Actor, DiplomaticEvent
from streams.adapters.columns import event_row
from streams.adapters.event_days import event_day

DYAD = "dyad"
ACTOR = "actor"
EVENT = "event"
UNDATED = "undated"
UPSERT = "upsert"
RETRACT = "retract"

LATEST_IDS_PER_DAY = 10
EVIDENCE_CHARS = 300


def dyad_side(actor: Actor | None) -> str | None:
    """The country-level code of one side of a dyad (``RUSGOV`` → ``RUS``)."""
    if actor is None:
        return None
    if actor.country:
        return actor.country
    if actor.code:
        return actor.code[:3].upper()
    return None


def dyad_key(source: str, target: str, day: date | str) -> str:
    day_text = day.isoformat() if isinstance(day, date) else day
    return f"{source.upper()}|{target.upper()}|{day_text}"


def event_key(event: DiplomaticEvent) -> str:
    """``YYYY-MM-DD|event id`` (``undated|…`` without any date): the events table's key."""
    day = event_day(event)
    return f"{day.isoformat() if day else UNDATED}|{event.event_id}"


def event_key_day(key: str) -> str:
    """The day part of an events-table key (``undated`` for an undated event)."""
    return key.split("|", 1)[0]


def actor_codes(event: DiplomaticEvent) -> list[str]:
    """Every code an event is filed under: full actor codes and their countries."""
    codes: list[str] = []
    for actor in (event.source, event.target):
        if actor is None:
            continue
        for code in (actor.code, actor.country):
            if code and code.upper() not in codes:
                codes.append(code.upper())
    return codes


def contribution(event: DiplomaticEvent) -> dict[str, Any]:
    """What one event adds to its dyad-day."""
    return {
        "code": event.cameo.code,
        "root": event.cameo.root,
        "quad": event.cameo.quad_class,
        "goldstein": event.cameo.goldstein,
        "published_at": event.published_at.isoformat() if event.published_at else None,
        "article_id": event.article_id,
    }


def summary(event: DiplomaticEvent) -> dict[str, Any]:
    """What an actor timeline shows of one event."""
    day = event_day(event)
    evidence = event.evidence[0].text if event.evidence else ""
    return {
        "event_id": event.event_id,
        "article_id": event.article_id,
        "article_source": event.article_source,
        "date": day.isoformat() if day else None,
        "published_at": event.published_at.isoformat() if event.published_at else None,
        "source": event.source.code or event.source.country,
        "target": (event.target.code or event.target.country) if event.target else None,
        "cameo": event.cameo.code,
        "root": event.cameo.root,
        "quad": event.cameo.quad_class,
        "goldstein": event.cameo.goldstein,
        "plover": event.plover.event,
        "url": event.article_url,
        "evidence": evidence[:EVIDENCE_CHARS],
    }


def table_entries(event: DiplomaticEvent) -> list[tuple[str, str, dict[str, Any]]]:
    """``(table, key, entry)`` for every table cell the event counts in."""
    entries: list[tuple[str, str, dict[str, Any]]] = []
    source, target, day = dyad_side(event.source), dyad_side(event.target), event_day(event)
    if source and target and day:
        entries.append((DYAD, dyad_key(source, target, day), contribution(event)))
    brief = summary(event)
    for code in actor_codes(event):
        entries.append((ACTOR, code, brief))
    entries.append((EVENT, event_key(event), event_row(event)))
    return entries


# --- the ledger: one article's events across re-codings -----------------------------------------


def article_cells(
    events: list[DiplomaticEvent],
    extra: Sequence[Callable[[DiplomaticEvent], list[tuple[str, str, Any]]]] = (),
) -> dict[str, list[list[Any]]]:
    """An article's coding as the ledger takes it: event id → ``[table, key, entry]`` cells.

    ``extra`` add cells of tables kept elsewhere (stories, alert state: ``streams.adapters.alert_feed``),
    so a re-coding retracts an event there too."""
    return {
        event.event_id: [[table, key, entry] for table, key, entry in table_entries(event)]
        + [[table, key, entry] for fn in extra for table, key, entry in fn(event)]
        for event in events
    }


def revisions(
    article_id: str, updates: list[dict[str, Any]], payloads: dict[str, Any]
) -> list[dict[str, Any]]:
    """One article's upserts and retractions for tables kept elsewhere, one message per (table, key).

    A key's message carries all of the article's changes under it at once (``payloads``: event id →
    the event as JSON), so its reader can take the retracted events out before the new ones go in.
    """
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for update in updates:
        slot = grouped.setdefault(
            (update["table"], update["key"]),
            {
                "op": "revise",
                "table": update["table"],
                "key": update["key"],
                "article_id": article_id,
                "upserts": [],
                "retracts": [],
            },
        )
        if update["op"] == RETRACT:
            slot["retracts"].append(update["event_id"])
        elif update["event_id"] in payloads:
            slot["upserts"].append(payloads[update["event_id"]])
    return [grouped[k] for k in sorted(grouped)]


def ledger_update(
    previous: dict[str, Any] | None, cells_by_event: dict[str, list[list[Any]]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The article's new ledger value and every table message to send.

    All messages are sent every time, not only the difference: if the worker died
    after writing the ledger but before its messages left, the redelivered article
    finds an unchanged ledger and must still send them. Each message is idempotent.
    """
    before = previous or {}
    current: dict[str, list[list[str]]] = {}
    upserts: list[dict[str, Any]] = []
    for event_id, cells in sorted(cells_by_event.items()):
        current[event_id] = [[table, key] for table, key, _ in cells]
        upserts.extend(
            {"op": UPSERT, "table": table, "key": key, "event_id": event_id, "entry": entry}
            for table, key, entry in cells
        )
    # A cell is retired when an earlier coding counted the event there and this one does not.
    retired: dict[str, list[list[str]]] = {}
    for source in (before.get("retired", {}), before.get("events", {})):
        for event_id, cells in source.items():
            keep = {tuple(cell) for cell in current.get(event_id, [])}
            stale = [list(cell) for cell in cells if tuple(cell) not in keep]
            for cell in stale:
                if cell not in retired.setdefault(event_id, []):
                    retired[event_id].append(cell)
    retired = {event_id: sorted(cells) for event_id, cells in sorted(retired.items()) if cells}
    retracts = [
        {"op": RETRACT, "table": table, "key": key, "event_id": event_id, "entry": None}
        for event_id, cells in retired.items()
        for table, key in cells
    ]
    return {"events": current, "retired": retired}, retracts + upserts


# --- applying one message to one table value ----------------------------------------------------


def apply(
    value: dict[str, Any] | None, message: dict[str, Any], *, limit: int | None = None
) -> dict[str, Any]:
    """The table value after one upsert or retract (idempotent; ``limit`` keeps the latest)."""
    entries: dict[str, Any] = dict((value or {}).get("events", {}))
    event_id = message["event_id"]
    if message["op"] == RETRACT:
        entries.pop(event_id, None)
    else:
        entries[event_id] = message["entry"]
    if limit is not None and len(entries) > limit:
        keep = sorted(entries.items(), key=_recency, reverse=True)[:limit]
        entries = dict(keep)
    return {"events": entries}


def _recency(item: tuple[str, dict[str, Any]]) -> tuple[str, str, str]:
    event_id, entry = item
    return (entry.get("date") or "", entry.get("published_at") or "", event_id)


# --- reading -------------------------------------------------------------------------------------


def day_stats(day: date, value: dict[str, Any] | None, *, with_ids: bool = False) -> dict[str, Any]:
    """One point of a dyad's daily series."""
    entries: dict[str, dict[str, Any]] = (value or {}).get("events", {})
    by_root = Counter(entry["root"] for entry in entries.values())
    by_quad = Counter(str(entry["quad"]) for entry in entries.values())
    goldstein = round(sum(float(entry["goldstein"]) for entry in entries.values()), 6)
    latest = sorted(
        entries.items(), key=lambda item: (item[1].get("published_at") or "", item[0]), reverse=True
    )
    stats: dict[str, Any] = {
        "date": day.isoformat(),
        "events": len(entries),
        "by_root": dict(sorted(by_root.items())),
        "by_quad": dict(sorted(by_quad.items())),
        "goldstein_sum": goldstein,
        "latest_event_ids": [event_id for event_id, _ in latest[:LATEST_IDS_PER_DAY]],
    }
    if with_ids:
        stats["event_ids"] = sorted(entries)
    return stats


def timeline(value: dict[str, Any] | None) -> list[dict[str, Any]]:
    """An actor's events, latest first."""
    entries: dict[str, dict[str, Any]] = (value or {}).get("events", {})
    return [entry for _, entry in sorted(entries.items(), key=_recency, reverse=True)]


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]

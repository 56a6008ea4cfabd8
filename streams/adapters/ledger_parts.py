"""An article's ledger message, split into bounded parts, and the ledger agent's step over them.

One ledger message used to carry every table cell of an article's events: an article
coded into a few thousand events made a record of megabytes, past the producer's request
size, and the worker crashed after its events were out (issue 12). Now the process agent
sends the cells in parts of at most ``PART_BYTES`` (JSON), numbered ``part`` of ``parts``,
all keyed by the article (so they arrive in order, on one partition). The ledger agent
sends each part's upserts as it comes, keeps the ids seen so far under ``pending`` in the
article's ledger value, and computes the retractions (``tallies.ledger_update``) at the
last part, when it knows the article's whole new coding. A part 0 starts over (a
redelivery after a crash); a part that does not follow the one before is taken as it
comes (its upserts are idempotent) and the retractions wait for the next complete run.

The ledger value itself holds only ids and table keys (no entries), and an article may
have at most ``MAX_EVENTS`` events (beyond: dead letter ``DL005``), so it stays bounded.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from streams.adapters import tallies

log = logging.getLogger(__name__)

PART_BYTES = 256 * 1024
MAX_EVENTS = 2000


def size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def split(
    article_id: str,
    cells: dict[str, list[list[Any]]],
    *,
    part_bytes: int = PART_BYTES,
    payloads: dict[str, Any] | None = None,
    **extra: Any,
) -> list[dict[str, Any]]:
    """The ledger messages of one article's coding: one when it is small, else bounded parts.

    ``extra`` (the coder's version and fingerprint, issue 18) goes on every part."""
    groups: list[dict[str, list[list[Any]]]] = [{}]
    used = 0
    for event_id, event_cells in sorted(cells.items()):
        cost = size(event_cells) + len(event_id) + 8 + (size(payloads.get(event_id)) if payloads else 0)
        if groups[-1] and used + cost > part_bytes:
            groups.append({})
            used = 0
        groups[-1][event_id] = event_cells
        used += cost
    parts = len(groups)
    return [
        {
            "article_id": article_id,
            "events": group,
            "part": n,
            "parts": parts,
            **extra,
            **(
                {"payloads": {e: payloads[e] for e in group if e in payloads}} if payloads is not None else {}
            ),
        }
        for n, group in enumerate(groups)
    ]


def _compact(cells: dict[str, list[list[Any]]]) -> dict[str, list[list[str]]]:
    return {
        event_id: [[table, key] for table, key, *_ in event_cells] for event_id, event_cells in cells.items()
    }


def _upserts(cells: dict[str, list[list[Any]]]) -> list[dict[str, Any]]:
    return [
        {"op": tallies.UPSERT, "table": table, "key": key, "event_id": event_id, "entry": entry}
        for event_id, event_cells in sorted(cells.items())
        for table, key, entry in event_cells
    ]


PENDING = ("pending", "pending_part", "pending_from")


def step(
    previous: dict[str, Any] | None, message: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]], bool]:
    """The article's ledger value after one (part) message, the table messages to send, and
    whether the value now holds the article's whole new coding (the last part of a complete run).

    Keys of the value other than the ledger's own (an event set's ``set``, issue 18) are kept."""
    parts = int(message.get("parts", 1))
    part = int(message.get("part", 0))
    cells: dict[str, list[list[Any]]] = message["events"]
    settled = {k: v for k, v in (previous or {}).items() if k not in PENDING}
    source = message.get("source")
    if parts <= 1:
        value, updates = _update(settled, cells, source, message.get("article_id"))
        return {**_others(settled), **value}, updates, True
    pending: dict[str, list[list[str]]] = {}
    start = part
    if part > 0 and (previous or {}).get("pending_part") == part - 1:
        pending = dict(previous["pending"])  # type: ignore[index]
        start = int(previous.get("pending_from", 0))  # type: ignore[union-attr]
    pending.update(_compact(cells))
    upserts = _upserts(cells)
    if part < parts - 1:
        return {**settled, "pending": pending, "pending_part": part, "pending_from": start}, upserts, False
    if start != 0:  # a broken run: keep what is counted, retract nothing until a whole one comes
        return settled, upserts, False
    whole = {event_id: [[table, key, None] for table, key in keys] for event_id, keys in pending.items()}
    value, updates = _update(settled, whole, source, message.get("article_id"))
    retracts = [u for u in updates if u["op"] == tallies.RETRACT]
    return {**_others(settled), **value}, retracts + upserts, True


def _others(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in ("events", "retired", "outlets", *PENDING)}


def _update(
    settled: dict[str, Any], cells: dict[str, list[list[Any]]], source: str | None, article_id: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``tallies.ledger_update`` for one outlet's article under an id another outlet may share.

    An article is identified by its outlet and id: two outlets that send the same id are two
    articles, and a coding of one retracts nothing of the other's (it used to replace it).
    ``outlets`` remembers, per event id, which outlet's article produced it.
    """
    outlets: dict[str, str] = dict(settled.get("outlets", {}))
    events: dict[str, Any] = settled.get("events", {})
    mine = {eid: c for eid, c in events.items() if outlets.get(eid, source or "") == (source or "")}
    theirs = {eid: c for eid, c in events.items() if eid not in mine}
    if theirs:
        log.warning(
            "article id %r comes from outlet %r and from %s: kept apart (identity is outlet + id)",
            article_id,
            source,
            sorted({outlets[e] for e in theirs})[:3],
        )
    retired = {eid: c for eid, c in settled.get("retired", {}).items() if eid not in theirs}
    value, updates = tallies.ledger_update({"events": mine, "retired": retired}, cells)
    updates = [u for u in updates if not (u["op"] == tallies.RETRACT and u["event_id"] in theirs)]
    value["events"] = {**theirs, **value["events"]}
    if source or theirs:
        value["outlets"] = {**{e: outlets[e] for e in theirs}, **{e: source or "" for e in cells}}
    return value, updates

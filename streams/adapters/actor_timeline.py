"""Actor timelines where an update writes one entry, not the whole timeline (issue 12).

The ``actors`` table held, per actor code, the latest 50 event summaries (~700 bytes
each): every event filed under a code rewrote all of them to the changelog, ~35 KB per
update, and the changelog grew by ~180 MB per 1,000 articles. Now:

- ``actors`` (code → ``{"events": {event id: {"date", "published_at"}}}``) is an index:
  which events are the latest ``limit`` of the code, with what orders them (~70 bytes each);
- ``actor_entries`` (``CODE|event id`` → the summary) holds each summary once, written
  when the event is filed and deleted when it is retracted or falls out of the latest ``limit``.

Both are written by the tally agent while it handles a message keyed by the code, so
both land in that message's partition (faust writes a table change to the changelog
partition of the event being processed) and the worker owning the code holds both.
A value written by an older worker (full summaries in ``actors``) is read as it is.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from streams.adapters import tallies


def entry_key(code: str, event_id: str) -> str:
    return f"{code}|{event_id}"


def _order(summary: dict[str, Any]) -> dict[str, Any]:
    return {"date": summary.get("date"), "published_at": summary.get("published_at")}


def _is_full(entry: dict[str, Any]) -> bool:
    return "event_id" in entry  # a summary as older workers stored it in the index


def apply(
    index: MutableMapping[str, Any],
    entries: MutableMapping[str, Any],
    code: str,
    message: dict[str, Any],
    *,
    limit: int,
) -> None:
    """One upsert or retraction of an actor's timeline (idempotent)."""
    current: dict[str, Any] = dict((index.get(code) or {}).get("events", {}))
    event_id = message["event_id"]
    key = entry_key(code, event_id)
    if message["op"] == tallies.RETRACT:
        current.pop(event_id, None)
        if entries.get(key) is not None:
            del entries[key]
    else:
        summary = message["entry"]
        current[event_id] = _order(summary)
        if entries.get(key) != summary:
            entries[key] = summary
    if len(current) > limit:
        ordered = sorted(current.items(), key=tallies._recency, reverse=True)  # noqa: SLF001 - one order
        for dropped, _ in ordered[limit:]:
            if entries.get(entry_key(code, dropped)) is not None:
                del entries[entry_key(code, dropped)]
        current = dict(ordered[:limit])
    index[code] = {"events": current}


def timeline(value: dict[str, Any] | None, entries: Any, code: str) -> list[dict[str, Any]]:
    """An actor's events, latest first (summaries from ``entries``, or the index's own when old)."""
    out = []
    for event_id, order in sorted(
        (value or {}).get("events", {}).items(),
        key=tallies._recency,  # noqa: SLF001
        reverse=True,
    ):
        summary = order if _is_full(order) else entries.get(entry_key(code, event_id))
        if summary:
            out.append(summary)
    return out

"""An article's event set (``schemas.event_sets.EventSet``) from its ledger value (issue 18).

No faust here: the ledger agent calls :func:`next_set` with the article's previous ledger
value and the ids of its new coding, stores the returned ``set`` state in the ledger value
and publishes the record on the event-set topic. The record is a pure function of the
ledger, so a repeat (redelivery, same-coder replay) yields an identical record.
"""

from __future__ import annotations

import hashlib
from typing import Any

from schemas.event_sets import EventSet


def revision(article_id: str, coder_version: str, event_ids: list[str]) -> str:
    body = "\x1f".join([article_id, coder_version, *sorted(event_ids)])
    return "rev-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def next_set(
    article_id: str,
    previous: dict[str, Any] | None,
    *,
    event_ids: list[str],
    retracted: list[str],
    coder_version: str,
    coder_fingerprint: str | None,
) -> tuple[EventSet, dict[str, Any]]:
    """The article's new event set and the ``set`` state to keep in its ledger value.

    ``retracted``: every id earlier codings produced that this one does not (the ledger's retired ids).
    """
    before: dict[str, Any] = (previous or {}).get("set") or {}
    rev = revision(article_id, coder_version, event_ids)
    if before.get("revision") == rev:  # a repeat: the same record again
        supersedes, versions = before.get("supersedes"), list(before.get("superseded_versions", []))
    else:
        supersedes = before.get("revision")
        earlier = set(before.get("superseded_versions", []))
        if before.get("coder_version"):
            earlier.add(before["coder_version"])
        versions = sorted(earlier - {coder_version})
    record = EventSet(
        article_id=article_id,
        revision=rev,
        coder_version=coder_version,
        coder_fingerprint=coder_fingerprint,
        event_ids=sorted(event_ids),
        retracts=sorted(set(retracted) - set(event_ids)),
        supersedes=supersedes,
        superseded_versions=versions,
    )
    state = {
        "revision": rev,
        "supersedes": supersedes,
        "superseded_versions": versions,
        "coder_version": coder_version,
    }
    return record, state


def current_events(sets: dict[str, EventSet], events: dict[str, Any]) -> dict[str, Any]:
    """The current view of the events topic.

    ``events``: event id → event (with ``article_id``), every version the topic holds; ``sets``:
    article id → its latest event set (the compacted view of the event-set topic). An event is
    current when its id is in its article's latest set; an article without a set (coded before
    event sets existed) keeps its events.
    """
    return {
        event_id: event
        for event_id, event in events.items()
        if (s := sets.get(event.article_id)) is None or event_id in s.event_ids
    }

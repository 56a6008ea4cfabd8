"""One readable line per record of any wirewatch topic, for ``wirewatch tail``.

Works on the JSON of the records rather than the pydantic models, so a record of
an older or newer schema version (or garbage on the raw topic) still prints.
"""

from __future__ import annotations

import json
from typing import Any


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _actor(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    return str(actor.get("code") or actor.get("country") or _clip(actor.get("text") or "?", 20))


def _day(value: Any, fallback: Any = None) -> str:
    if isinstance(value, dict):  # a DateRange
        start, end = value.get("start"), value.get("end")
        return str(start) if start == end else f"{start}..{end}"
    if value:
        return str(value)
    if fallback:
        return str(fallback)[:10]
    return "----------"


def format_record(value: bytes | None, *, topic_alias: str | None = None) -> str:
    """One readable line for a record of any wirewatch topic."""
    if value is None:
        return "<tombstone>"
    try:
        data = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return f"<not JSON, {len(value)} bytes> {_clip(value.decode('utf-8', errors='replace'), 70)}"
    if not isinstance(data, dict):
        return _clip(json.dumps(data, ensure_ascii=False), 100)
    schema = data.get("schema_id") or ("raw_article.v1" if topic_alias == "raw" else "")
    if schema in ("diplomatic_event.v1", "canonical_event.v1"):
        cameo, plover = data.get("cameo") or {}, data.get("plover") or {}
        head = (
            f"{_day(data.get('event_date'), data.get('published_at') or data.get('first_seen'))} "
            f"{_actor(data.get('source'))} → {_actor(data.get('target'))} "
            f"{cameo.get('code', '?')} {plover.get('event', '?')}"
        )
        if schema == "diplomatic_event.v1":
            evidence = (data.get("evidence") or [{}])[0].get("text", "")
            return f'{head} "{_clip(evidence)}"'
        sources = ", ".join(data.get("sources") or []) or "-"
        return f"{head} ×{data.get('mention_count')} [{sources}] {data.get('story_id')}"
    if schema == "event_set.v1":
        return (
            f"SET {data.get('article_id')} {data.get('coder_version')}: {len(data.get('event_ids') or [])} "
            f"event(s), {len(data.get('retracts') or [])} retracted, "
            f"supersedes {data.get('supersedes') or '-'}"
        )
    if schema == "alert.v1":
        return f"ALERT {str(data.get('severity', '')).upper()} {data.get('message', '')}"
    if schema == "dead_letter.v1":
        return (
            f"DEAD {data.get('error_code')} {data.get('stage')} "
            f"{data.get('topic')}[{data.get('partition')}]@{data.get('offset')}: "
            f"{_clip(data.get('message', ''), 80)}"
        )
    if schema == "clean_article.v1":
        state = "codable" if data.get("codable", True) else f"skipped: {data.get('skip_reason')}"
        return (
            f"{_day(None, data.get('published_at'))} [{data.get('source') or '-'}] {data.get('article_id')} "
            f'"{_clip(data.get("title", ""), 50)}" ({len(data.get("paragraphs") or [])} paragraphs, {state})'
        )
    if schema == "raw_article.v1" or {"id", "body"} <= data.keys():
        return (
            f"{_day(None, data.get('published_at'))} [{data.get('source') or '-'}] {data.get('id')} "
            f'"{_clip(data.get("title") or data.get("body", ""), 60)}"'
        )
    return _clip(json.dumps(data, ensure_ascii=False), 120)

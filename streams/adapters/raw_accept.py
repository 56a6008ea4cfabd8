"""What a raw article may look like on the wire, made into what the schema takes.

The raw topic and ``wirewatch publish`` / ``wirewatch code`` accept the same
records (issue 12): feeds write what they write, and refusing a whole article
for a detail of form loses it. Before validation, a record decoded from JSON is
normalised here:

- ``published_at`` without a time zone is read as UTC (as ``--published-at`` reads one);
- a ``published_at`` that names no real moment, or one outside
  ``EARLIEST``..``LATEST`` (a feed's placeholder ``0001-01-01``, a typo'd ``9999``),
  is dropped: the article is coded undated instead of dead-lettered;
- in ``title`` and ``body``, characters Python counts as line breaks inside a line
  (vertical tab, form feed, file/group/record separators, NEL, the Unicode line and
  paragraph separators) become a space, and other C0/C1 control characters
  (``\\t``, ``\\n`` and ``\\r`` kept) are removed, so they cannot split a sentence;
- an ``id`` that is missing or empty becomes a hash of the record's content
  (``sha256:<16 hex>``), so an article without one is still coded under a stable identity.

The UTF-8 byte-order mark is taken off by the caller, before JSON decoding.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

# str.splitlines() breaks on these; in wire copy they are layout noise inside a paragraph.
_BREAKERS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
TEXT_FIELDS = ("title", "body")
BOM = b"\xef\xbb\xbf"


@dataclass
class Accepted:
    """The record to validate, and what was changed on the way (for the log)."""

    record: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def strip_bom(data: bytes) -> bytes:
    return data[len(BOM) :] if data.startswith(BOM) else data


def normalise_text(text: str) -> tuple[str, int]:
    """``text`` without in-line breakers and control characters; how many were changed."""
    text, spaced = _BREAKERS.subn(" ", text)
    text, removed = _CONTROLS.subn("", text)
    return text, spaced + removed


def parse_moment(value: Any) -> datetime | None:
    """A ``published_at`` value as an aware datetime, or None when it names no plausible moment."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                moment = datetime(day.year, day.month, day.day)
            else:
                moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except (ValueError, OverflowError):
            return None
    else:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        if not EARLIEST <= moment <= LATEST:
            return None
    except OverflowError:
        return None
    return moment


def content_id(record: dict[str, Any]) -> str:
    """A stable identity for a record without an id: the hash of what it says."""
    basis = json.dumps(
        {k: record.get(k) for k in ("source", "url", "title", "body")},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def accept(record: dict[str, Any]) -> Accepted:
    """``record`` with the normalisations above applied (a new dict; the input is not changed)."""
    out = dict(record)
    notes: list[str] = []
    if "published_at" in out and out["published_at"] is not None:
        raw = out["published_at"]
        moment = parse_moment(raw)
        if moment is None:
            notes.append(f"published_at {str(raw)[:40]!r} is no plausible moment: dropped")
            out["published_at"] = None
        else:
            out["published_at"] = moment
    for name in TEXT_FIELDS:
        value = out.get(name)
        if isinstance(value, str):
            fixed, changed = normalise_text(value)
            if changed:
                notes.append(f"{name}: {changed} control/line-break character(s) normalised")
                out[name] = fixed
    if out.get("id") is None or out.get("id") == "":
        out["id"] = content_id(out)
        notes.append(f"no id: identified by content as {out['id']}")
    return Accepted(out, notes)

"""Retention windows of the ledger and story tables: which keys expire at time T (issue 12).

Pure functions only; the worker's timers that act on them are in ``streams.adapters.trimming``.

The ledger (article id → the ids and table keys of its events) and the story blocks
(``2017-09-11/f15`` → the canonical events of one week and root family) used to keep every
article and story forever. Each entry now has a time:

- a ledger entry: the article's publication time, else its newest event date, else the time
  it was coded (``article_time``), written into the entry as ``at``;
- a block: the end of its days (the block's first day + ``block_days``, ``block_end``); the
  ``undated`` block has none and is never trimmed.

The clock the windows are measured on is the newest time a worker holds in that table, but
never later than the wall clock (``expiry``): a live wire expires entries ``days`` after they
were published, and an archive coded today (a backfill of 2017) is not trimmed away as it
arrives; it keeps its latest ``days``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

# The field a ledger entry keeps its time in (ISO 8601, UTC), and the key of a retention message.
AT = "at"
RETENTION = "retention"
UNDATED = "undated"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time or date as an aware UTC datetime; None for anything else."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def article_time(
    published_at: datetime | None, event_days: Iterable[date | None], *, coded_at: datetime
) -> datetime:
    """When an article counts as having happened: published, else its newest event day, else coded."""
    if published_at is not None:
        return parse_time(published_at) or coded_at
    days = [d for d in event_days if d is not None]
    if days:
        return datetime.combine(max(days), time(), tzinfo=UTC)
    return coded_at


def block_end(key: str, *, block_days: int) -> datetime | None:
    """The end of a story block's days (``2017-09-11/f15`` with 7 days: 2017-09-18 00:00 UTC)."""
    first, _, _ = key.partition("/")
    if first == UNDATED:
        return None
    try:
        start = date.fromisoformat(first)
    except ValueError:
        return None
    return datetime.combine(start + timedelta(days=block_days), time(), tzinfo=UTC)


@dataclass(frozen=True)
class Expiry:
    """What one pass over a table found: its clock and cutoff, the keys past it, the keys with no time."""

    now: datetime | None = None
    cutoff: datetime | None = None
    expired: list[str] = field(default_factory=list)
    unstamped: list[str] = field(default_factory=list)


def expiry(times: Iterable[tuple[str, datetime | None]], *, days: float, wall: datetime) -> Expiry:
    """The keys older than ``days`` before the table's clock (its newest time, at most ``wall``).

    ``days`` 0 (or less) keeps everything. An entry exactly at the cutoff stays."""
    pairs = list(times)
    unstamped = [key for key, moment in pairs if moment is None]
    if days <= 0:
        return Expiry(unstamped=unstamped)
    dated = [(key, moment) for key, moment in pairs if moment is not None]
    if not dated:
        return Expiry(unstamped=unstamped)
    now = min(wall, max(moment for _, moment in dated))
    cutoff = now - timedelta(days=days)
    return Expiry(
        now=now, cutoff=cutoff, expired=[key for key, moment in dated if moment < cutoff], unstamped=unstamped
    )


def trim_message(cutoff: datetime) -> dict[str, Any]:
    """Asks the agent owning a key to delete it if it is still older than ``cutoff``."""
    return {RETENTION: {"before": iso(cutoff)}}


def stamp_message(moment: datetime) -> dict[str, Any]:
    """Asks the ledger agent to give an entry written before retention existed a time."""
    return {RETENTION: {"stamp": iso(moment)}}


def is_retention(message: Any) -> bool:
    return isinstance(message, Mapping) and RETENTION in message


def cutoff_of(message: Mapping[str, Any]) -> datetime | None:
    return parse_time((message.get(RETENTION) or {}).get("before"))


def stamp_of(message: Mapping[str, Any]) -> datetime | None:
    return parse_time((message.get(RETENTION) or {}).get("stamp"))


def ledger_expired(value: Mapping[str, Any] | None, cutoff: datetime | None) -> bool:
    """Whether the ledger entry is (still) past ``cutoff``: the agent's check before it deletes.

    An entry re-coded since the pass has a new time (and stays); one half-way through its
    parts (``pending``) stays until its coding is whole."""
    if value is None or cutoff is None or "pending" in value:
        return False
    moment = parse_time(value.get(AT))
    return moment is not None and moment < cutoff


def block_expired(key: str, cutoff: datetime | None, *, block_days: int) -> bool:
    end = block_end(key, block_days=block_days)
    return cutoff is not None and end is not None and end < cutoff

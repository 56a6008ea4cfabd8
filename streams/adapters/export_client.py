"""Read flat rows from a running worker's HTTP views, for ``wirewatch export``.

A date range is asked in windows of at most ``MAX_RANGE_DAYS`` days; a window whose
answer is ``truncated`` (more rows than one answer holds) is split in two until it
fits. A single day that still does not fit is an error, never a silently short file.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from streams.adapters.http_query import MAX_RANGE_DAYS
from streams.errors import WirewatchError

# view path, the rows' field in the answer, the most rows one answer may hold
VIEWS: dict[str, tuple[str, str, int]] = {
    "events": ("/events", "events", 10_000),
    "dyads": ("/dyads", "dyads", 10_000),
    "stories": ("/stories", "stories", 5000),
}
TIMEOUT_S = 120.0


class ExportError(WirewatchError):
    code = "WW500"


def _get(base_url: str, path: str, query: dict[str, str]) -> dict[str, Any]:
    url = f"{base_url.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        try:
            reason = json.loads(exc.read()).get("error")
        except (json.JSONDecodeError, AttributeError):
            reason = exc.reason
        raise ExportError(f"{url}: HTTP {exc.code}: {reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ExportError(
            f"no worker answers at {base_url} ({reason}); start one with `wirewatch worker` or give --url"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ExportError(f"{url}: the answer is not JSON: {exc}") from exc


def windows(start: date, end: date, span: int = MAX_RANGE_DAYS) -> Iterator[tuple[date, date]]:
    while start <= end:
        last = min(end, start + timedelta(days=span - 1))
        yield start, last
        start = last + timedelta(days=1)


def fetch_rows(base_url: str, kind: str, start: date, end: date) -> Iterator[dict[str, Any]]:
    """Every row of ``kind`` (events, dyads, stories) dated from ``start`` to ``end``, in date order."""
    path, field, limit = VIEWS[kind]

    def window(first: date, last: date) -> Iterator[dict[str, Any]]:
        body = _get(base_url, path, {"from": first.isoformat(), "to": last.isoformat(), "limit": str(limit)})
        if not body.get("truncated"):
            rows = body[field]
            if kind == "stories":  # the view orders stories by mention count; a file reads better by date
                rows = sorted(rows, key=lambda r: (r.get("event_date") or "", r["story_id"]))
            yield from rows
            return
        if first == last:
            raise ExportError(f"{first}: more than {limit} {kind} on one day; the view cannot page further")
        middle = first + timedelta(days=(last - first).days // 2)
        yield from window(first, middle)
        yield from window(middle + timedelta(days=1), last)

    for first, last in windows(start, end):
        yield from window(first, last)

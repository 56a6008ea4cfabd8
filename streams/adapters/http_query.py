"""Query parameters every HTTP view reads the same way, and the JSON-or-CSV answer.

``limit`` (a whole number from 1 to the view's maximum), ``from``/``to`` (ISO dates,
``to`` defaulting to ``from``, at most ``MAX_RANGE_DAYS`` apart), ``format``
(``json``, the default, or ``csv``). A bad value is a ``BadRequest`` with a message
that names the parameter; the views answer it as a JSON 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from faust.web import Response, View

from streams.adapters import writers
from streams.adapters.columns import Column

MAX_RANGE_DAYS = 366
FORMATS = ("json", "csv")
# CAMEO codes may pad with hyphens ("---COP": a police force of no known country), as stored.
_CODE = re.compile(r"^(?=.*[A-Za-z0-9])[A-Za-z0-9-]{2,30}$")


class BadRequest(Exception):
    pass


def code(value: str, what: str) -> str:
    if not _CODE.match(value):
        raise BadRequest(f"{what} must be an actor code of 2-30 letters, digits or hyphens, got {value!r}")
    return value.upper()


def day(value: str | None, what: str) -> date:
    if not value:
        raise BadRequest(f"query parameter {what!r} is required (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"{what}={value!r} is not a date (YYYY-MM-DD)") from exc


@dataclass(frozen=True)
class Range:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


Query = Mapping[str, str]


def date_range(query: Query, *, required: bool) -> Range | None:
    """``from``/``to`` of the query; None when neither is given and the view does not need them."""
    given_from, given_to = query.get("from"), query.get("to")
    if not given_from and not given_to and not required:
        return None
    start = day(given_from, "from")
    end = day(given_to or given_from, "to")
    if end < start:
        raise BadRequest("'to' is before 'from'")
    span = Range(start, end)
    if span.days > MAX_RANGE_DAYS:
        raise BadRequest(f"a range covers at most {MAX_RANGE_DAYS} days, asked {span.days}")
    return span


def limit(query: Query, *, default: int, maximum: int) -> int:
    text = query.get("limit")
    if text is None or text == "":
        return default
    try:
        number = int(text)
    except ValueError as exc:
        raise BadRequest(f"limit={text!r} is not a whole number") from exc
    if not 1 <= number <= maximum:
        raise BadRequest(f"limit must be between 1 and {maximum}, got {number}")
    return number


def output_format(query: Query) -> str:
    fmt = query.get("format", "json").lower() or "json"
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def unknown_parameters(query: Query, allowed: set[str]) -> None:
    """Refuse query parameters a view does not read, instead of ignoring them silently."""
    unknown = sorted(set(query) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "no parameters"
        raise BadRequest(f"unknown query parameter {unknown[0]!r} (this view takes: {takes})")


def flag(query: Query, name: str) -> bool:
    return query.get(name, "").lower() in {"1", "true", "yes"}


def answer(
    view: View,
    fmt: str,
    body: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: tuple[Column, ...],
    *,
    status: int = 200,
) -> Response:
    """``body`` as JSON, or ``rows`` as CSV with ``columns`` (header always present)."""
    if fmt == "csv":
        return view.text(writers.csv_text(columns, rows), content_type="text/csv", status=status)
    return view.json(body, status=status)

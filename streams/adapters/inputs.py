"""Raw articles from files and stdin, for the offline commands.

Formats, chosen per source:

- ``*.jsonl`` / ``*.ndjson``: one ``RawArticle`` JSON object per line; blank
  lines are skipped; a line that is not JSON or not a valid article becomes an
  :class:`InputProblem` with its line number and the rest is still read.
- ``*.txt``: one article; the first non-empty line is the title, everything
  after it is the body, exactly as in the file (the cleaner does the rest).
  ``id`` is the file stem.
- ``-`` (stdin) and any other name: sniffed. If the first non-blank line starts
  with ``{`` it is JSON lines, otherwise one plain-text article whose ``id`` is
  ``stdin-`` (or the stem) plus a hash of its bytes.

Text is UTF-8 (a BOM is ignored); a plain-text article that is not valid UTF-8
is read as Windows-1252, the usual encoding of such files. ``published_at``
(the ``--published-at`` option) dates plain-text articles and any JSON record
that carries no date of its own; a record's own date without a time zone is
read as UTC.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from schemas import RawArticle
from streams.errors import InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})


@dataclass(frozen=True)
class InputProblem:
    """A line (``line_no`` ≥ 1) or a whole source (``line_no`` 0) that gave no article."""

    reason: str


Item = tuple[str, int, RawArticle | InputProblem]


def parse_published_at(value: str) -> datetime:
    """``2022-09-20`` → midnight UTC; a full ISO datetime as given (UTC when it names no zone)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        raise InputError(
            f"not a date or ISO datetime: {value!r} (e.g. 2022-09-20 or 2022-09-20T08:00:00Z)"
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _one_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']}")
    return "invalid RawArticle: " + "; ".join(parts)


def _naive_as_utc(record: dict) -> dict:
    """A zone-less ``published_at`` string is read as UTC, as ``--published-at`` reads one.

    News corpora commonly carry ``2017-09-15T00:00:00``; the wire schema refuses
    naive datetimes, and refusing whole corpora here would lose every article.
    """
    value = record.get("published_at")
    if not isinstance(value, str):
        return record
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return record  # pydantic will say what is wrong with it
    if moment.tzinfo is not None:
        return record
    return {**record, "published_at": moment.replace(tzinfo=UTC)}


def parse_jsonl_line(line: bytes, published_at: datetime | None) -> RawArticle | InputProblem:
    try:
        record = json.loads(line)
    except UnicodeDecodeError as exc:
        return InputProblem(f"not UTF-8: {exc.reason} at byte {exc.start}")
    except json.JSONDecodeError as exc:
        return InputProblem(f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(record, dict):
        return InputProblem(f"expected a JSON object, got {type(record).__name__}")
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:  # "\ud800" escapes decode to text no output can carry
        return InputProblem(f"lone surrogate {exc.object[exc.start : exc.end]!r} in a string")
    record = _naive_as_utc(record)
    try:
        article = RawArticle.model_validate(record)
    except ValidationError as exc:
        return InputProblem(_one_line(exc))
    if article.published_at is None and published_at is not None:
        article = article.model_copy(update={"published_at": published_at})
    return article


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_text_article(
    data: bytes, *, article_id: str, published_at: datetime | None
) -> RawArticle | InputProblem:
    """One plain-text article: the first non-empty line is the title, the rest the body as it is."""
    text = _decode_text(data)
    rest = text
    while rest:
        line, newline, rest = rest.partition("\n")
        if line.strip():
            return RawArticle(id=article_id, title=line.rstrip("\r"), body=rest, published_at=published_at)
        if not newline:
            break
    return InputProblem("no text: a plain-text article needs a title line")


def _jsonl(
    name: str, lines: Iterable[bytes], published_at: datetime | None, start: int = 1
) -> Iterator[Item]:
    for line_no, line in enumerate(lines, start=start):
        if line.strip():
            yield name, line_no, parse_jsonl_line(line, published_at)


def _text_id(stem: str, data: bytes) -> str:
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}"


def _sniffed(name: str, stream: BinaryIO, *, stem: str, published_at: datetime | None) -> Iterator[Item]:
    """JSON lines when the first non-blank line starts with ``{``, else one plain-text article."""
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    first = head[-1].lstrip().lstrip(b"\xef\xbb\xbf") if head else b""
    if first.startswith(b"{"):
        yield from _jsonl(name, head, published_at)
        yield from _jsonl(name, stream, published_at, start=len(head) + 1)
        return
    data = b"".join(head) + stream.read()
    article_id = _text_id(stem, data)
    yield name, 1, parse_text_article(data, article_id=article_id, published_at=published_at)


def read_source(
    path: str, *, published_at: datetime | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """``(source_name, line_no, RawArticle | InputProblem)`` for one path (or ``-``)."""
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _sniffed(STDIN_NAME, stream, stem="stdin", published_at=published_at)
        return
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        with p.open("rb") as handle:
            if suffix in JSONL_SUFFIXES:
                yield from _jsonl(path, handle, published_at)
            elif suffix in TEXT_SUFFIXES:
                data = handle.read()
                yield (
                    path,
                    1,
                    parse_text_article(
                        data, article_id=p.stem or _text_id("text", data), published_at=published_at
                    ),
                )
            else:
                yield from _sniffed(path, handle, stem=p.stem or "text", published_at=published_at)
    except OSError as exc:
        yield path, 0, InputProblem(f"cannot read: {exc.strerror or exc}")


def read_articles(
    paths: Iterable[str], *, published_at: datetime | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Every article (or problem) of every path, in order."""
    for path in paths:
        yield from read_source(path, published_at=published_at, stdin=stdin)

"""Raw articles from files and stdin, for the offline commands.

Formats, chosen per source:

- ``*.jsonl`` / ``*.ndjson``: one ``RawArticle`` JSON object per line; blank
  lines are skipped; a line that is not JSON or not a valid article becomes an
  :class:`InputProblem` with its line number and the rest is still read.
- ``*.json``: a JSON array of ``RawArticle`` objects, one object, or several
  objects one after another (JSON lines); a problem names the element's line.
- ``*.txt`` / ``*.text`` / ``*.md``: one article; the first non-empty line is the
  title, everything after it is the body, exactly as in the file (the cleaner
  does the rest). ``id`` is the file stem.
- any of these gzip-compressed (``*.jsonl.gz``, ``*.json.gz``, ``*.txt.gz``).
- ``-`` (stdin) and a name without a suffix: sniffed. A first non-blank line
  starting with ``{`` is JSON lines, ``[`` a JSON array, anything else one
  plain-text article whose ``id`` is ``stdin-`` (or the stem) plus a hash of its bytes.
- any other suffix (``.csv``, ``.xml``, ``.html``, ``.zip`` …) is refused by name,
  as one problem for the whole file, rather than read as one garbage article.

Text is UTF-8 (a BOM is ignored); a plain-text article that is not valid UTF-8
is read as Windows-1252, the usual encoding of such files. ``published_at``
(the ``--published-at`` option) dates plain-text articles and any JSON record
that carries no date of its own; a record's own date without a time zone is
read as UTC, and one that names no plausible moment is dropped
(``streams.adapters.raw_accept``: the rules the raw topic applies too).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from schemas import RawArticle
from streams.adapters import raw_accept
from streams.errors import InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
GZIP_SUFFIX = ".gz"
SUPPORTED = ".jsonl/.ndjson, .json (array or objects), .txt/.text/.md, any of them as .gz, or - (stdin)"


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
    try:
        record = raw_accept.accept(record).record  # as the raw topic takes it (issue 12)
    except (ValueError, TypeError) as exc:
        return InputProblem(f"invalid RawArticle: {exc}")
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


_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


def _json_values(name: str, data: bytes, published_at: datetime | None) -> Iterator[Item]:
    """Articles from a JSON document: an array of objects, or objects one after another.

    Each element is decoded on its own (``raw_decode``), so a problem names the line the
    element starts on; a syntax error ends the file (JSON cannot be resynchronised).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield name, 0, InputProblem(f"not UTF-8: {exc.reason} at byte {exc.start}")
        return

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def skip(pos: int, also: str = "") -> int:
        while pos < len(text) and text[pos] in _SPACE + also:
            pos += 1
        return pos

    def one(pos: int) -> tuple[int, RawArticle | InputProblem | None]:
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            return -1, InputProblem(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return end, parse_jsonl_line(json.dumps(value).encode("utf-8"), published_at)

    pos = skip(0)
    if pos == len(text):
        yield name, 0, InputProblem("no articles: the file is empty")
        return
    if text[pos] != "[":  # one object, or objects one after another
        while pos < len(text):
            start = pos
            pos, item = one(pos)
            yield name, line_of(start), item
            if pos < 0:
                return
            pos = skip(pos)
        return
    pos = skip(pos + 1)
    while pos < len(text) and text[pos] != "]":
        start = pos
        pos, item = one(pos)
        yield name, line_of(start), item
        if pos < 0:
            return
        pos = skip(pos)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
        elif pos < len(text) and text[pos] != "]":
            yield name, line_of(pos), InputProblem("invalid JSON: expected ',' or ']' between array elements")
            return
    if pos >= len(text):
        yield name, line_of(pos), InputProblem("invalid JSON: the array is not closed with ']'")
    elif skip(pos + 1) < len(text):
        yield name, line_of(skip(pos + 1)), InputProblem("invalid JSON: text after the closing ']'")


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
    if first.startswith(b"["):
        yield from _json_values(name, data, published_at)
        return
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
    kind, stem = input_kind(p)
    if kind is None:
        yield path, 0, InputProblem(f"unsupported input format {stem!r}: wirewatch reads {SUPPORTED}")
        return
    try:
        with p.open("rb") as raw_handle:
            handle: BinaryIO = raw_handle
            if p.suffix.lower() == GZIP_SUFFIX:
                handle = gzip.GzipFile(fileobj=raw_handle)  # type: ignore[assignment]
                handle.peek(1)  # type: ignore[attr-defined] # not gzip → BadGzipFile now, not mid-file
            if kind == "jsonl":
                yield from _jsonl(path, handle, published_at)
            elif kind == "json":
                yield from _json_values(path, handle.read(), published_at)
            elif kind == "text":
                data = handle.read()
                article = parse_text_article(
                    data, article_id=stem or _text_id("text", data), published_at=published_at
                )
                yield path, 1, article
            else:
                yield from _sniffed(path, handle, stem=stem or "text", published_at=published_at)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield path, 0, InputProblem(f"not a readable gzip file: {exc}")
    except OSError as exc:
        yield path, 0, InputProblem(f"cannot read: {exc.strerror or exc}")


def input_kind(path: Path) -> tuple[str | None, str]:
    """(``jsonl`` | ``json`` | ``text`` | ``sniff`` | None for unsupported, stem or the refused suffix)."""
    name = path.name
    if name.lower().endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    inner = Path(name)
    suffix = inner.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl", inner.stem
    if suffix in JSON_SUFFIXES:
        return "json", inner.stem
    if suffix in TEXT_SUFFIXES:
        return "text", inner.stem
    if not suffix:
        return "sniff", inner.stem
    return None, path.name[len(inner.stem) :] or suffix


def count_articles(paths: Iterable[str]) -> int | None:
    """How many articles (or bad lines) ``paths`` hold, for a progress bar; None when it cannot tell."""
    total = 0
    for path in paths:
        p = Path(path)
        if path == STDIN or not p.is_file():
            return None
        kind, _ = input_kind(p)
        if kind in ("text", None):
            total += 1 if kind else 0
            continue
        if kind != "jsonl":
            return None
        opener = gzip.open if p.suffix.lower() == GZIP_SUFFIX else open
        try:
            with opener(p, "rb") as fh:  # type: ignore[operator]
                total += sum(1 for line in fh if line.strip())
        except (OSError, EOFError, zlib.error):
            return None
    return total


def read_articles(
    paths: Iterable[str], *, published_at: datetime | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Every article (or problem) of every path, in order."""
    for path in paths:
        yield from read_source(path, published_at=published_at, stdin=stdin)

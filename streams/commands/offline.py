"""``wirewatch clean`` and ``wirewatch code``: the pipeline on files, no broker.

Both read raw articles from ``.jsonl`` files, ``.txt`` files or ``-`` (stdin; the
default when no path is given) and write to stdout (or ``--output``): one
``CleanArticle`` JSON per line for ``clean``; for ``code`` one ``DiplomaticEvent`` JSON
per line, or with ``--format`` flat CSV/Parquet rows (``streams.adapters.columns``) or
PLOVER JSON records (``streams.adapters.plover_json``).
A line (or file) that gives no article is reported on stderr as one line,
``wirewatch: PATH:LINE: reason``, and the run goes on. The exit status is 0
unless not a single article could be read (then 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from schemas import DiplomaticEvent, RawArticle
from streams.adapters.inputs import (
    SUPPORTED,
    InputProblem,
    count_articles,
    parse_published_at,
    read_articles,
)
from streams.adapters.parallel import Batches, BatchResult
from streams.adapters.writers import EVENT_FORMATS, EventSink, binary_output
from streams.errors import InputError
from streams.settings import get_settings

_EPILOG = (
    "Input: .jsonl/.ndjson (one RawArticle JSON per line), .json (an array of RawArticle objects, or\n"
    "objects one after another), .txt/.text/.md (first non-empty line is the title, the rest the body),\n"
    "any of them gzip-compressed (.jsonl.gz …), - for stdin (sniffed: '{' JSON lines, '[' an array,\n"
    "else one plain-text article). Other suffixes (.csv, .xml …) are refused by name.\n"
    "A bad line is reported on stderr as 'wirewatch: PATH:LINE: reason' and the run goes on; a progress\n"
    "bar (on a terminal) and a closing summary go to stderr (--quiet: neither). The exit status is 1\n"
    "only when not a single article could be read."
)
_PATHS_HELP = f"raw articles: {SUPPORTED}; default -"
_QUIET_HELP = "no progress bar and no closing summary on stderr (problems are still reported)"
_DATE_HELP = (
    "date of plain-text articles and of JSON records without one: 2022-09-20 (midnight UTC) or ISO datetime"
)


def _published_at(value: str):  # noqa: ANN202 - argparse type
    try:
        return parse_published_at(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from exc
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    """The raw articles' paths, ``--quiet`` and ``--published-at``: `wirewatch clean` and `code` alike."""
    parser.add_argument("paths", nargs="*", default=["-"], metavar="PATH", help=_PATHS_HELP)
    parser.add_argument("-q", "--quiet", action="store_true", help=_QUIET_HELP)
    parser.add_argument("--published-at", type=_published_at, metavar="DATE", help=_DATE_HELP)


def register(subparsers: argparse._SubParsersAction) -> None:
    clean = subparsers.add_parser(
        "clean",
        help="clean raw articles: one CleanArticle JSON per line on stdout",
        description="Clean raw articles (no model, no broker): one CleanArticle JSON per line on stdout.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_arguments(clean)
    clean.add_argument(
        "--max-chars",
        type=_positive,
        metavar="N",
        help="cut longer texts at a paragraph boundary (default: nlp.max_body_chars, 100000)",
    )
    clean.set_defaults(func=run_clean)

    code = subparsers.add_parser(
        "code",
        help="code raw articles into diplomatic events: one DiplomaticEvent JSON per line on stdout",
        description="Clean, parse (spaCy) and classify raw articles, no broker: "
        "one DiplomaticEvent JSON per line on stdout.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_arguments(code)
    code.add_argument(
        "--format",
        choices=EVENT_FORMATS,
        default="jsonl",
        help="jsonl: DiplomaticEvent JSON lines (default); csv / parquet: one flat row per event, "
        "columns named like GDELT/ICEWS/Phoenix (docs/outputs.md); plover: PLOVER JSON records",
    )
    code.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here instead of stdout (parquet needs a file or a redirected stdout)",
    )
    code.add_argument(
        "--batch-size",
        type=_positive,
        metavar="N",
        help="articles parsed together by spaCy (default: nlp.batch_size, 16)",
    )
    code.add_argument(
        "-j",
        "--processes",
        type=_positive,
        default=1,
        metavar="N",
        help="code in N processes forked from one loaded model (default 1; 2 uses both cores of a "
        "2-core machine); the output is the same, in the same order",
    )
    code.set_defaults(func=run_code)


@dataclass
class _Tally:
    articles: int = 0
    problems: int = 0
    events: int = 0
    pending: list[tuple[str, int, RawArticle]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    bar: Any = None  # the progress bar (tqdm), also where problem lines are written


def _progress(args: argparse.Namespace, tally: _Tally, err: TextIO, verb: str) -> Any:
    """A progress bar on stderr: shown on a terminal only, never with --quiet."""
    from tqdm import tqdm

    tally.bar = tqdm(
        total=None if args.paths == ["-"] else count_articles(args.paths),
        desc=verb, unit="article", file=err, dynamic_ncols=True,
        disable=True if args.quiet else None,  # None: tqdm's own test for a terminal
    )  # fmt: skip
    return tally.bar


def _problem(err: TextIO, source: str, line_no: int, reason: str, bar: Any = None) -> None:
    where = f"{source}:{line_no}" if line_no else source
    if bar is not None and not bar.disable:
        bar.write(f"wirewatch: {where}: {reason}", file=err)
        return
    err.write(f"wirewatch: {where}: {reason}\n")
    err.flush()


def _articles(args: argparse.Namespace, tally: _Tally, err: TextIO) -> Iterator[tuple[str, int, RawArticle]]:
    for source, line_no, item in read_articles(args.paths, published_at=args.published_at):
        if isinstance(item, InputProblem):
            tally.problems += 1
            _problem(err, source, line_no, item.reason, tally.bar)
            if tally.bar is not None and line_no:
                tally.bar.update(1)
            continue
        tally.articles += 1
        yield source, line_no, item


def _summary(args: argparse.Namespace, tally: _Tally, err: TextIO, verb: str) -> None:
    if tally.bar is not None:
        tally.bar.close()
    if args.quiet:
        return
    seconds = time.monotonic() - tally.started
    files = "stdin" if args.paths == ["-"] else f"{len(args.paths)} file(s)"
    events = f" → {tally.events} event(s)" if verb == "coded" else ""
    rate = f" ({tally.articles / seconds:.1f} articles/s)" if tally.articles and seconds > 0 else ""
    rejected = f"; {tally.problems} rejected (see above)" if tally.problems else ""
    err.write(f"{verb} {tally.articles} article(s) from {files}{events} in {seconds:.1f} s{rate}{rejected}\n")
    err.flush()


def _status(tally: _Tally) -> int:
    return 1 if tally.problems and not tally.articles else 0


def run_clean(args: argparse.Namespace) -> int:
    from streams.core.clean import clean_article

    out, err = sys.stdout, sys.stderr
    max_chars = args.max_chars or get_settings().nlp.max_body_chars
    tally = _Tally()
    bar = _progress(args, tally, err, "clean")
    for _source, _line_no, raw in _articles(args, tally, err):
        out.write(clean_article(raw, max_chars=max_chars).model_dump_json() + "\n")
        out.flush()
        bar.update(1)
    _summary(args, tally, err, "cleaned")
    return _status(tally)


def run_code(args: argparse.Namespace) -> int:
    from streams.adapters.nlp import load_coder

    err = sys.stderr
    settings = get_settings()
    batch_size = args.batch_size or settings.nlp.batch_size
    fmt = getattr(args, "format", "jsonl")
    out = binary_output(getattr(args, "output", None), fmt)

    def skipped(event: DiplomaticEvent, reason: str) -> None:
        _problem(err, event.article_id, 0, f"not written as PLOVER: {reason}")

    sink = EventSink(fmt, out, window_hours=settings.app.dedup_window_hours, on_skip=skipped)
    tally = _Tally()
    bar = _progress(args, tally, err, "code")
    batches: Batches | None = None

    def handle(result: BatchResult) -> None:
        for source, line_no, reason in result.problems:
            _problem(err, source, line_no, reason, bar)
        for outcome in result.outcomes:
            sink.write(outcome.events)
            tally.events += len(outcome.events)
        failed = result.size - len(result.outcomes)  # reported above, one line each
        tally.articles -= failed
        tally.problems += failed
        bar.update(result.size)

    def flush() -> None:
        nonlocal batches
        if not tally.pending:
            return
        if batches is None:
            bar.set_description("loading the spaCy model")
            # only once there is something to code; the pool is forked from the loaded coder
            batches = Batches(load_coder(settings.nlp), getattr(args, "processes", 1), batch_size)
            bar.set_description("code")
        for result in batches.submit(list(tally.pending)):
            handle(result)
        tally.pending.clear()

    failed = True
    try:
        for item in _articles(args, tally, err):
            tally.pending.append(item)
            if len(tally.pending) >= batch_size:
                flush()
        flush()
        if batches is not None:
            for result in batches.drain():
                handle(result)
        failed = False
    finally:
        if batches is not None:
            batches.close(failed=failed)
        sink.close()
        if getattr(args, "output", None) is not None:
            out.close()
        if tally.bar is not None:
            tally.bar.close()
    _summary(args, tally, err, "coded")
    return _status(tally)

"""``wirewatch stories [FILE.jsonl ...]``: canonical events of coded events, offline.

Reads ``DiplomaticEvent`` JSON lines (``wirewatch code``'s output; ``-`` for stdin)
and prints the canonical events ``streams.core.canonical`` builds of them, most
reported first: ``CanonicalEvent`` JSON lines (default), flat CSV rows (the columns of
``GET /stories``), or a short table (``--format table``). The stream's canonical
topic holds the same records for the same events, in whatever order they came.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from schemas import DiplomaticEvent
from schemas.events import DateRange
from streams.errors import InputError

FORMATS = ("jsonl", "csv", "table")


def read_events(paths: list[str]) -> list[DiplomaticEvent]:
    events: list[DiplomaticEvent] = []
    for name in paths:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                events.append(DiplomaticEvent.model_validate_json(line))
            except ValueError as exc:
                first = str(exc).splitlines()[0]
                raise InputError(f"{name}:{n}: not a DiplomaticEvent JSON line ({first})") from exc
    return events


def run_stories(args: argparse.Namespace) -> int:
    from streams.core import canonical
    from streams.core.similarity import MergeParams
    from streams.settings import get_settings

    settings = get_settings().app
    params = MergeParams()
    threshold = args.threshold if args.threshold is not None else settings.canonical_threshold
    if threshold is not None:
        params = replace(params, threshold=threshold)
    block_days = args.block_days or settings.canonical_block_days
    stories = canonical.cluster(read_events(args.paths), params=params, block_days=block_days)
    if args.min_mentions > 1:
        stories = [s for s in stories if s.mention_count >= args.min_mentions]
    out = sys.stdout
    if args.format == "jsonl":
        for story in stories:
            out.write(story.model_dump_json() + "\n")
    elif args.format == "csv":
        from streams.adapters import columns
        from streams.adapters.writers import csv_text

        out.write(csv_text(columns.STORY_COLUMNS, (columns.story_row(s) for s in stories)))
    else:
        from streams.commands.tables import text_table

        rows = [
            (
                s.story_id,
                s.mention_count,
                len(s.sources),
                s.cameo.code,
                f"{s.source.country or s.source.code or s.source.text}>"
                f"{(s.target.country or s.target.code or s.target.text) if s.target else '-'}",
                str(s.event_date.start if isinstance(s.event_date, DateRange) else s.event_date or ""),
                "" if s.merge_confidence is None else f"{s.merge_confidence:.2f}",
            )
            for s in stories
        ]
        out.write(
            text_table(("story", "mentions", "outlets", "cameo", "dyad", "date", "merge conf"), rows) + "\n"
        )
    if not args.quiet:
        merged = sum(1 for s in stories if s.mention_count > 1)
        print(
            f"wirewatch: {len(stories)} canonical events, {merged} of them reported by two or more articles",
            file=sys.stderr,
        )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "stories",
        help="canonical events (one per real-world event across outlets) of coded events, offline",
        description="Merge coded events (DiplomaticEvent JSON lines) into canonical events, no broker.",
    )
    p.add_argument("paths", nargs="*", default=["-"], metavar="FILE", help="coded events (.jsonl); default -")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default), csv or table")
    p.add_argument("--min-mentions", type=int, default=1, metavar="N", help="only events reported N+ times")
    p.add_argument("--threshold", type=float, metavar="X", help="merge threshold (default: the tuned one)")
    p.add_argument("--block-days", type=int, metavar="N", help="days per block (app.canonical_block_days)")
    p.add_argument("-q", "--quiet", action="store_true", help="no closing count on stderr")
    p.set_defaults(func=run_stories)

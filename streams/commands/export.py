"""``wirewatch export dyads|events|stories``: flat CSV or Parquet from a running worker's tables."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from streams.errors import InputError
from streams.settings import get_settings

_KINDS = {
    "events": "one row per event (flat columns, docs/outputs.md)",
    "dyads": "one row per directed dyad and day: counts by quad class and CAMEO root, Goldstein sum",
    "stories": "one row per canonical story (reports of one event across outlets), with mention counts",
}


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write events, dyad-days or stories of a date range from a running worker as CSV or Parquet",
        description="Read the tables of a running worker over HTTP (any worker of the group answers for "
        "all of them) and write one flat file. Columns: docs/outputs.md.",
        epilog="\n".join(f"  {kind:8} {text}" for kind, text in _KINDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=sorted(_KINDS), help="what to export")
    parser.add_argument(
        "--from",
        dest="start",
        type=_day,
        required=True,
        metavar="YYYY-MM-DD",
        help="first day (events and stories: their event day; dyads: the day counted)",
    )
    parser.add_argument(
        "--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="last day (default: --from)"
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="default: csv")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here instead of stdout (parquet needs a file or a redirected stdout)",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help="the worker's web address (default: http://web.host:web.port from settings)",
    )
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from streams.adapters import columns
    from streams.adapters.export_client import fetch_rows
    from streams.adapters.writers import binary_output, row_writer

    end = args.end or args.start
    if end < args.start:
        raise InputError("--to is before --from")
    web = get_settings().web
    url = args.url or f"http://{web.host}:{web.port}"
    rows = list(fetch_rows(url, args.kind, args.start, end))  # fetched first: a failure leaves no half file
    out = binary_output(args.output, args.format)
    try:
        writer = row_writer(args.format, columns.KINDS[args.kind], out)
        writer.write(rows)
        writer.close()
    finally:
        if args.output is not None:
            out.close()
    where = args.output or "stdout"
    print(f"exported {len(rows)} {args.kind} ({args.start}..{end}) from {url} to {where}", file=sys.stderr)
    return 0

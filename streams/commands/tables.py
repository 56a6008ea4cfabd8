"""Plain-text tables for the evaluation and bench commands."""

from __future__ import annotations

from collections.abc import Iterable


def text_table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    heads = list(header)
    cells = [[str(x) for x in r] for r in rows]
    widths = [max(len(h), *(len(r[k]) for r in cells)) if cells else len(h) for k, h in enumerate(heads)]
    line = lambda row: "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))  # noqa: E731
    return "\n".join([line(heads), line(["-" * w for w in widths]), *(line(r) for r in cells)])

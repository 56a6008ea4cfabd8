"""Plain-text tables for the evaluation and bench commands."""

from __future__ import annotations

from collections.abc import Iterable


def text_table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    header = list(header)
    rows = [[str(x) for x in r] for r in rows]
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])

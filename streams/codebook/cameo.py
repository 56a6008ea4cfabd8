"""The CAMEO event codebook: code → name, Goldstein score, root, quad class, PLOVER.

Names and Goldstein scores come from the ICEWS table of the 312 CAMEO codes
(``codebooks/cameo-codes.icews.csv`` of the installed codebook, MIT); the PLOVER event,
mode and context of each code from the PLOVER project's conversion table
(``codebooks/CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0). A code without a PLOVER line
of its own inherits its nearest ancestor's (``0213`` → ``021`` → ``02``). Only the
ICEWS table's ``code``, ``name``, ``goldstein`` and ``root_code`` columns are read; its
description and example columns hold a few bytes that are not UTF-8, read as U+FFFD.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

# installed files (manifest paths, see streams/codebook/sources.toml)
CAMEO_CSV = "codebooks/cameo-codes.icews.csv"
PLOVER_TABLE = "codebooks/CAMEO2PLOVER-2021.txt"

# The 2021 table has no lines for roots 01 (statements, which PLOVER does not code:
# "OTHER") and 02 (appeals, which PLOVER counts as REQUEST).
_ROOT_PLOVER_FALLBACK = {"01": "OTHER", "02": "REQUEST"}


def quad_class(root: str) -> int:
    """CAMEO quad class from the two-digit root (1 verbal coop … 4 material conflict)."""
    n = int(root)
    if not 1 <= n <= 20:
        raise ValueError(f"not a CAMEO root: {root!r}")
    if n <= 5:
        return 1
    if n <= 9:
        return 2
    if n <= 14:
        return 3
    return 4


@dataclass(frozen=True)
class PloverType:
    event: str
    mode: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    root: str
    quad_class: int
    plover: PloverType


_PLOVER_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([^#]*)")


def parse_plover_table(text: str) -> dict[str, PloverType]:
    """``code: EVENT, mode, context # comment`` lines → {code: PloverType}."""
    table: dict[str, PloverType] = {}
    for line in text.splitlines():
        m = _PLOVER_LINE.match(line)
        if not m:
            continue
        code, rest = m.group(1), m.group(2)
        parts = [p.strip() for p in rest.split(",")]
        event = parts[0].upper() if parts and parts[0] else ""
        if not event:
            continue
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        context = parts[2] if len(parts) > 2 and parts[2] else None
        # The table repeats a few root headers (e.g. "08: RETREAT" after "08: CONCEDE"):
        # the first line for a code wins, as the more general one.
        table.setdefault(code, PloverType(event, mode, context))
    return table


class CameoCodebook:
    """Look-ups by CAMEO event code (a string: leading zeros matter)."""

    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self._codes = codes

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self):
        return iter(self._codes)

    def get(self, code: str) -> CameoCode | None:
        """The entry for ``code``, or for its nearest known ancestor (``0871`` → ``087``)."""
        code = code.strip()
        while code:
            if code in self._codes:
                return self._codes[code]
            if len(code) <= 2:
                return None
            code = code[:-1]
        return None

    def __getitem__(self, code: str) -> CameoCode:
        entry = self.get(code)
        if entry is None:
            raise KeyError(code)
        return entry

    @classmethod
    def from_files(cls, csv_path: Path | None = None, plover_path: Path | None = None) -> CameoCodebook:
        """The ICEWS table and the PLOVER table; by default the installed ones."""
        from streams.codebook.location import codebook_file

        csv_path = codebook_file(CAMEO_CSV) if csv_path is None else csv_path
        plover_path = codebook_file(PLOVER_TABLE) if plover_path is None else plover_path
        with csv_path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = list(csv.DictReader(fh))
        plover = parse_plover_table(plover_path.read_text(encoding="utf-8"))
        return cls.from_rows(rows, plover)

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]], plover: dict[str, PloverType]) -> CameoCodebook:
        codes: dict[str, CameoCode] = {}
        for row in rows:
            code = row["code"].strip()
            root = (row.get("root_code") or code[:2]).strip()
            codes[code] = CameoCode(
                code=code,
                name=row["name"].strip(),
                goldstein=float(row["goldstein"]),
                root=root,
                quad_class=quad_class(root),
                plover=_inherit_plover(code, plover),
            )
        return cls(codes)


def _inherit_plover(code: str, plover: dict[str, PloverType]) -> PloverType:
    probe = code
    while probe:
        if probe in plover:
            return plover[probe]
        probe = probe[:-1]
        if len(probe) < 2:
            break
    return PloverType(_ROOT_PLOVER_FALLBACK.get(code[:2], "OTHER"))

"""Small measuring helpers shared by the benchmarks: memory, percentiles, machine notes, tables.

Linux-only where it reads ``/proc`` (the benchmarks' target); elsewhere the
numbers are reported as ``None`` rather than guessed.
"""

from __future__ import annotations

import math
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path


def proc_status_mb(pid: int | str = "self", field: str = "VmRSS") -> float | None:
    """A memory field of /proc/PID/status (VmRSS, VmHWM, ...) in MiB, or None if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process (getrusage ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def descendants(pid: int) -> list[int]:
    """pid and every live descendant, read from /proc/*/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def tree_rss_mb(pid: int) -> float | None:
    """Summed VmRSS of a process and its descendants (shared pages counted once per process)."""
    values = [proc_status_mb(p) for p in descendants(pid)]
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): always a value that was observed."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def loadavg() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def machine_notes() -> dict[str, object]:
    """What a reader needs to judge a number: cores, load, versions, date."""
    import spacy  # noqa: PLC0415 - only the benchmarks need it

    la = loadavg()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "loadavg_1_5_15": [round(x, 2) for x in la] if la else None,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "platform": platform.platform(terse=True),
    }


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds these processes have used so far (/proc/PID/stat), 0 for any
    that is gone. CPU time is what a process got, not what the machine's load let it have:
    on a shared machine it is the steadier measure of cost."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


class Stopwatch:
    """perf_counter wall time of a block, and the CPU time of this process (plus ``pids``)."""

    def __init__(self, pids: Iterable[int] = ()) -> None:
        self.pids = [os.getpid(), *pids]

    def __enter__(self) -> Stopwatch:
        self.cpu_start = cpu_seconds(self.pids)
        self.start = time.perf_counter()
        self.seconds = 0.0
        self.cpu = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu = cpu_seconds(self.pids) - self.cpu_start


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A plain left-aligned text table (numbers right-aligned)."""
    cells = [[_fmt(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(header))]

    def line(r: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(r, widths, numeric, strict=True)
        )

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def progress(message: str) -> None:
    """Progress notes go to stderr so stdout stays the table and the JSON line."""
    print(message, file=sys.stderr, flush=True)


def resolve_inputs(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in {".jsonl", ".txt"} and p.is_file())
        return files
    return [path]

"""How fast is the canonical stage? Offline clustering, and the stream's per-report cost by block size.

    .venv/bin/python bench/canonical_merge.py EVENTS.jsonl [--repeat R]

EVENTS.jsonl: coded events (``wirewatch code``). Prints a table and, as the last line, one
JSON object: reports per second of ``canonical.cluster`` over the whole file, and, for
blocks of growing size, the time the stream's agent spends on one new report (``add`` +
``changes`` + the JSON round trip of the block state, as ``streams.adapters.alerting`` does).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from schemas import DiplomaticEvent
from streams.core import canonical
from streams.core.similarity import MergeParams


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    events = [
        DiplomaticEvent.model_validate_json(line)
        for line in args.events.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    params = MergeParams()
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        canonical.cluster(events, params=params)
        runs.append(time.perf_counter() - started)
    offline = len(events) / statistics.median(runs)

    # One block holding the first n reports (re-dated into one block), then one more report.
    day = events[0].event_date
    same_block = [
        e.model_copy(update={"event_date": day, "event_id": f"b{i:06d}"})
        for i, e in enumerate(events * (1 + 2000 // max(1, len(events))))
    ]
    per_report = {}
    for n in (10, 100, 500, 1000, 2000):
        if n >= len(same_block):
            break
        key = canonical.block_key(same_block[0])
        state = None
        for e in same_block[:n]:
            state = canonical.add(state, e, params=params, block=key)
        stored = canonical.to_json(state)
        timings = []
        for e in same_block[n : n + 5]:
            started = time.perf_counter()
            before = canonical.from_json(stored)
            after = canonical.add(before, e, params=params, block=key)
            canonical.changes(before, after)
            json.dumps(canonical.to_json(after))
            timings.append(time.perf_counter() - started)
        per_report[n] = statistics.median(timings) * 1000
    print(f"offline: {len(events)} reports, {offline:,.0f} reports/s (median of {args.repeat})")
    print("block size  ms per new report (stream agent)")
    for n, ms in per_report.items():
        print(f"{n:>10}  {ms:8.1f}")
    by_size = {str(k): round(v, 2) for k, v in per_report.items()}
    print(
        json.dumps(
            {
                "reports": len(events),
                "offline_reports_per_s": round(offline, 1),
                "stream_ms_per_report_by_block_size": by_size,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

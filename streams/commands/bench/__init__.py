"""``wirewatch bench``: throughput, latency and memory benchmarks.

Each sub-command prints a human table on stdout and, as its last line, one JSON
object with the numbers (progress notes go to stderr). These are measurements,
never pass/fail checks.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    bench = subparsers.add_parser("bench", help="throughput, latency and memory benchmarks")
    sub = bench.add_subparsers(dest="bench_command", metavar="BENCHMARK")

    p = sub.add_parser(
        "pipeline",
        help="bare spaCy nlp.pipe vs the full offline pipeline on the same articles",
        description="Runs (a) bare nlp.pipe of the model over title+body and (b) Coder.process_batch "
        "(clean, extract, classify) in one process, warmed up, in alternating rounds.",
    )
    _input_arguments(p)
    p.add_argument("--limit", type=int, default=None, help="first N articles only")
    p.add_argument(
        "--batch-size", type=int, default=None, help="nlp.pipe batch size (default: settings nlp.batch_size)"
    )
    p.add_argument(
        "--repeat", type=int, default=3, help="alternating rounds per side (default 3; best is reported)"
    )
    p.add_argument("--model", default=None, help="spaCy model (default: settings nlp.model)")
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="run the pipeline in N forked processes, as `wirewatch code --processes N` (default 1); "
        "the 1-process pipeline is then timed in the same rounds",
    )
    p.set_defaults(func=_pipeline)

    s = sub.add_parser(
        "stream",
        help="end-to-end throughput, latency, lag and worker memory on a real broker",
        description="Starts a local broker (or uses --bootstrap), K `wirewatch worker` processes on fresh "
        "topics, publishes N articles and waits until every article's clean record and events are out.",
    )
    _input_arguments(s)
    s.add_argument("--limit", type=int, default=None, help="first N articles only")
    s.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    s.add_argument(
        "--rate", type=float, default=None, help="publish at R articles/s (default: as fast as possible)"
    )
    s.add_argument("--bootstrap", default=None, help="use this broker instead of starting a local one")
    s.add_argument(
        "--timeout", type=float, default=900.0, help="give up after this many seconds (default 900)"
    )
    s.add_argument(
        "--warmup",
        type=int,
        default=4,
        help="warm-up articles per worker before the clock starts (default 4)",
    )
    s.add_argument(
        "--baseline",
        action="store_true",
        help="first time bare spaCy nlp.pipe over the same articles here, for a same-load ratio",
    )
    s.add_argument("--keep", action="store_true", help="keep the temp folder (worker logs) for inspection")
    s.set_defaults(func=_stream)

    bench.set_defaults(func=lambda args: (bench.print_help(), 2)[1])


# The bundled sample wire: a benchmark runs from any clone; give a real corpus for real numbers.
SAMPLE_WIRE = Path(__file__).resolve().parents[2] / "sample" / "sample-wire.jsonl"


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH, as every other command names its input (``--input`` is kept as an old spelling)."""
    parser.add_argument(
        "paths", nargs="?", type=Path, default=None, metavar="PATH",
        help="raw articles: a .jsonl/.txt file or a folder of them (default: the bundled sample wire, "
        "streams/sample/sample-wire.jsonl, 6 articles; a news corpus of your own gives real numbers)",
    )  # fmt: skip
    parser.add_argument("--input", type=Path, default=None, help=argparse.SUPPRESS)


def _input(args: argparse.Namespace) -> Path:
    from streams.errors import ConfigError

    if args.paths is not None and args.input is not None and args.paths != args.input:
        raise ConfigError("give the input once: as PATH (or the old --input), not both")
    return args.paths or args.input or SAMPLE_WIRE


def _emit(text: str, result: dict[str, Any]) -> None:
    print(text)
    print(json.dumps(result, default=str, sort_keys=True))


def _pipeline(args: argparse.Namespace) -> int:
    from streams.codebook.location import codebook_dir
    from streams.commands.bench import pipeline
    from streams.errors import InputError
    from streams.settings import get_settings

    codebook_dir()  # a missing codebook is said before the model is loaded

    if args.repeat < 1 or args.processes < 1 or (args.limit is not None and args.limit < 1):
        raise InputError("--repeat, --processes and --limit must be at least 1")
    batch_size = args.batch_size or get_settings().nlp.batch_size
    result = pipeline.run(
        _input(args),
        limit=args.limit,
        batch_size=batch_size,
        repeat=args.repeat,
        model=args.model,
        processes=args.processes,
    )
    _emit(pipeline.render(result), result)
    return 0


def _stream(args: argparse.Namespace) -> int:
    from streams.codebook.location import codebook_dir
    from streams.commands.bench import stream
    from streams.errors import InputError

    codebook_dir()  # the workers need it: said before a broker is started

    if (
        args.workers < 1
        or (args.limit is not None and args.limit < 1)
        or (args.rate is not None and args.rate <= 0)
    ):
        raise InputError("--workers, --limit and --rate must be positive")
    result = stream.run(
        _input(args),
        limit=args.limit,
        workers=args.workers,
        rate=args.rate,
        bootstrap=args.bootstrap,
        timeout_s=args.timeout,
        keep=args.keep,
        warmup=args.warmup,
        baseline=args.baseline,
    )
    _emit(stream.render(result), result)
    return 0

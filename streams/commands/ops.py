"""Operational commands: ``publish``, ``tail``, ``replay``, ``topics create|describe``, ``alerts check``.

Each one is a thin wrapper over ``streams.adapters.ops_admin`` (kafka-python);
progress bars and diagnostics go to stderr, records to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from typing import Any, TextIO

from streams.errors import ConfigError, InputError
from streams.settings import Settings, get_settings, with_bootstrap

REPLAY_HELP = """\
Reprocess raw articles already on the raw topic, e.g. after upgrading the coder.

Default (offset reset): with the worker STOPPED, point the worker's consumer
group (--group, default the app id) at the first raw record written at or after
--from (or the start of the log); the next `wirewatch worker` re-reads from
there to the end and re-codes every article. This is what an upgrade needs: the
raw log stays a faithful record (no copies), records keep their partitions and
offsets (so dead letters still point at the right place), and the ledger tables
replace each article's old events with the new coder's (event ids are
deterministic, so re-coding with the same coder version changes no count).
A reset only ever rewinds: a partition the worker has not reached yet keeps
its offset, so nothing unprocessed is skipped. --wait then shows a progress bar
until the restarted worker has caught up.

--republish: copy the records in [--from, --to) back onto the raw topic (same
key and value, a `wirewatch-replay-of: topic/partition/offset` header) while
the worker RUNS. Use it when the worker cannot be stopped or only a time slice
is wanted; the price is duplicate records in the raw log, which every other
consumer of that topic will also see.

Times are when records were written to the topic (not the articles' publication
times): ISO 8601 (2022-09-20, 2022-09-20T06:00:00Z; no zone = UTC) or an age
such as 2h or 7d."""


def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--bootstrap",
        metavar="HOST:PORT[,...]",
        help="Kafka bootstrap servers (default: WIREWATCH_KAFKA__BOOTSTRAP_SERVERS or settings)",
    )

    p = subparsers.add_parser(
        "publish",
        parents=[common],
        help="publish articles (JSONL or .txt) to the raw topic",
        description="Read raw articles (.jsonl/.ndjson, .json arrays, .txt/.md: first line title, any "
        "of them .gz, or '-' for stdin; other formats are refused by name) and publish them to "
        "the raw topic, keyed by article id. A topic that does not exist is refused (a typo would "
        "otherwise create a new topic) unless --create is given. Bad lines are reported on stderr "
        "with their line number and not sent; the exit status is 1 if any line was bad or any "
        "record was not acknowledged.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--topic", help="topic name or alias (default: the raw topic); it must exist")
    p.add_argument(
        "--create",
        action="store_true",
        help="create the topic when it does not exist (topics.partitions, topics.replication_factor)",
    )
    p.add_argument(
        "--published-at",
        metavar="DATE",
        help="publication time for articles that carry none (e.g. 2022-09-20)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_publish)

    p = subparsers.add_parser(
        "tail",
        parents=[common],
        help="print the records of a topic, one line each",
        description="Print records as they arrive: events as `2022-09-19 RUSGOV → CHNGOV 043 CONSULT "
        '"…"`, canonical stories, alerts, dead letters, articles; or the JSON values '
        "with --json. TOPIC is a name or one of raw, clean, events, event_sets, canonical, deadletter, "
        "alerts.",
    )
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("--json", action="store_true", help="print each record's value as one line of JSON")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not new ones")
    p.add_argument("--max", type=int, metavar="N", help="stop after N records")
    p.add_argument("--timeout", type=float, metavar="S", help="stop after S seconds without a record")
    p.set_defaults(func=_tail)

    p = subparsers.add_parser(
        "replay",
        parents=[common],
        help="reprocess raw articles (offset reset, or --republish)",
        description=REPLAY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    start = p.add_mutually_exclusive_group(required=True)
    start.add_argument("--from", dest="start", metavar="TIMESTAMP", help="first record time to reprocess")
    start.add_argument("--from-beginning", action="store_true", help="reprocess the whole raw topic")
    p.add_argument("--to", dest="stop", metavar="TIMESTAMP", help="(--republish only) stop before this time")
    p.add_argument("--republish", action="store_true", help="copy records back onto the raw topic instead")
    p.add_argument("--group", help="the worker's consumer group (default: the app id, settings.app.id)")
    p.add_argument("--dry-run", action="store_true", help="show what would be replayed and change nothing")
    p.add_argument(
        "--wait",
        action="store_true",
        help="(offset reset) after the reset, show progress until the worker has caught up",
    )
    p.add_argument("--wait-timeout", type=float, default=600.0, metavar="S", help="give up waiting after S s")
    p.set_defaults(func=_replay)

    p = subparsers.add_parser("topics", help="create or describe wirewatch's topics")
    sub = p.add_subparsers(dest="topics_command", metavar="ACTION", required=True)
    c = sub.add_parser(
        "create",
        parents=[common],
        help="create every topic from settings (idempotent)",
        description="Create the raw, clean, events, canonical, deadletter and alerts topics "
        "with settings.topics.partitions and replication_factor; the canonical "
        "topic is compacted (cleanup.policy=compact: the latest record per story "
        "is its state). Existing topics are left alone and reported.",
    )
    c.set_defaults(func=_topics_create)
    d = sub.add_parser(
        "describe",
        parents=[common],
        help="partitions, leaders and configs of the topics",
        description="Partitions, leaders, replicas, in-sync replicas and non-default configs.",
    )
    d.add_argument("names", nargs="*", metavar="TOPIC", help="names or aliases (default: all of wirewatch's)")
    d.set_defaults(func=_topics_describe)

    p = subparsers.add_parser("alerts", help="check an alert rules file")
    sub = p.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    a = sub.add_parser(
        "check",
        help="parse a rules file (YAML/TOML) and list its rules",
        description="Parse a rules file (default: settings.app.alerts_config) and list its rules; "
        "a bad file gives one line naming the field.",
    )
    a.add_argument("path", nargs="?", help="rules file (.yaml, .yml or .toml)")
    a.set_defaults(func=_alerts_check)


def _settings(args: argparse.Namespace) -> Settings:
    return with_bootstrap(get_settings(), getattr(args, "bootstrap", None))


def _bar(total: int | None, desc: str, unit: str, disable: bool = False) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=disable, dynamic_ncols=True)


# --- publish -------------------------------------------------------------------------------------


def publish_paths(
    settings: Settings,
    paths: list[str],
    *,
    topic: str | None = None,
    published_at: datetime | None = None,
    progress: bool = True,
    create: bool = False,
    err: TextIO | None = None,
) -> tuple[int, int]:
    """Publish every good article; return (sent, bad). Problems go to ``err``, one line each.

    The topic must exist, unless ``create`` (then it is created as settings say).
    """
    from streams.adapters.inputs import InputProblem, count_articles, read_articles
    from streams.adapters.ops_admin import producer_client

    err = err or sys.stderr
    target = _resolve(settings, topic or "raw")
    _existing_topic(settings, target, create=create, err=err)
    sent = bad = 0
    failures: list[BaseException] = []
    with (
        producer_client(settings.kafka) as producer,
        _bar(count_articles(paths), f"publish → {target}", "article", disable=not progress) as bar,
    ):
        for name, line_no, item in read_articles(paths, published_at=published_at):
            if isinstance(item, InputProblem):
                bad += 1
                where = f"{name}:{line_no}" if line_no else name
                bar.write(f"wirewatch: {where}: {item.reason} (not sent)", file=err)
                bar.update(1 if line_no else 0)
                continue
            future = producer.send(
                target, key=item.id.encode("utf-8"), value=item.model_dump_json().encode("utf-8")
            )
            future.add_errback(failures.append)
            sent += 1
            bar.update(1)
        producer.flush(timeout=60)
    if failures:
        print(f"wirewatch: {len(failures)} record(s) not acknowledged by Kafka: {failures[0]}", file=err)
    return sent - len(failures), bad + len(failures)


def _existing_topic(settings: Settings, name: str, *, create: bool, err: TextIO) -> None:
    """Refuse a topic that does not exist (a typo would create it), or create it when asked to."""
    from streams.adapters import topic_admin
    from streams.adapters.kafka_clients import admin_client

    with admin_client(settings.kafka) as admin:
        if name in set(admin.list_topics()):
            return
        if not create:
            aliases = ", ".join(topic_admin.worker_topics(settings))
            raise InputError(
                f"topic {name!r} does not exist on {settings.kafka.bootstrap_servers}: check the name "
                f"(or use an alias: {aliases}), create it with `wirewatch topics create`, or pass --create"
            )
        spec = topic_admin.TopicSpec(name, settings.topics.partitions, settings.topics.replication_factor)
        [result] = topic_admin.create_topics(admin, [spec])
        print(f"{result.status} topic {name} ({result.detail})", file=err)


def _publish(args: argparse.Namespace) -> int:
    from streams.adapters.inputs import parse_published_at

    settings = _settings(args)
    published_at = parse_published_at(args.published_at) if args.published_at else None
    sent, bad = publish_paths(
        settings, args.paths, topic=args.topic, published_at=published_at,
        progress=not args.no_progress, create=args.create,
    )  # fmt: skip
    target = _resolve(settings, args.topic or "raw")
    tail = f", {bad} rejected (see above)" if bad else ""
    print(f"published {sent} article(s) to {target}{tail}", file=sys.stderr)
    return 1 if bad else 0


def _resolve(settings: Settings, name: str) -> str:
    from streams.adapters.ops_admin import resolve_topic

    return resolve_topic(settings, name)


# --- tail ----------------------------------------------------------------------------------------


def tail(
    settings: Settings,
    topic: str,
    *,
    as_json: bool = False,
    from_beginning: bool = False,
    max_records: int | None = None,
    idle_timeout_s: float | None = None,
    out: TextIO | None = None,
) -> int:
    """Print records of ``topic`` (a name or alias); return how many were printed."""
    from streams.adapters.ops_admin import consumer_client, partitions_of
    from streams.adapters.pretty import format_record
    from streams.adapters.topic_admin import worker_topics

    out = out or sys.stdout
    name = _resolve(settings, topic)
    alias = next((a for a, n in worker_topics(settings).items() if n == name), None)
    printed = 0
    with consumer_client(settings.kafka) as consumer:
        partitions = partitions_of(consumer, name)
        consumer.assign(partitions)
        if from_beginning:
            consumer.seek_to_beginning(*partitions)
        else:
            consumer.seek_to_end(*partitions)
            for tp in partitions:
                consumer.position(tp)  # resolve "end" now, so records sent from here on are shown
        last = time.monotonic()
        while max_records is None or printed < max_records:
            batch = consumer.poll(timeout_ms=200)
            if not batch:
                if idle_timeout_s is not None and time.monotonic() - last >= idle_timeout_s:
                    break
                continue
            last = time.monotonic()
            for records in batch.values():
                for rec in records:
                    if as_json:
                        line = (
                            rec.value.decode("utf-8", errors="replace") if rec.value is not None else "null"
                        )
                    else:
                        line = format_record(rec.value, topic_alias=alias)
                    print(line, file=out, flush=True)
                    printed += 1
                    if max_records is not None and printed >= max_records:
                        return printed
    return printed


def _tail(args: argparse.Namespace) -> int:
    if args.max is not None and args.max < 1:
        raise ConfigError("--max must be at least 1")
    tail(
        _settings(args),
        args.topic,
        as_json=args.json,
        from_beginning=args.from_beginning,
        max_records=args.max,
        idle_timeout_s=args.timeout,
    )
    return 0


# --- replay --------------------------------------------------------------------------------------


def _replay(args: argparse.Namespace) -> int:
    from streams.adapters import ops_admin
    from streams.adapters.kafka_clients import admin_client

    settings = _settings(args)
    start = None if args.from_beginning else ops_admin.parse_time(args.start)
    stop = ops_admin.parse_time(args.stop) if args.stop else None
    if stop is not None and not args.republish:
        raise ConfigError(
            "--to needs --republish: after an offset reset the worker reads to the end of the topic"
        )
    if stop is not None and start is not None and stop <= start:
        raise ConfigError("--to must be later than --from")
    if args.wait and args.republish:
        raise ConfigError("--wait is for the offset reset; --republish already shows its own progress")
    raw = settings.topics.raw
    group = args.group or settings.app.id
    with (
        admin_client(settings.kafka) as admin,
        ops_admin.consumer_client(settings.kafka) as consumer,
    ):
        partitions = ops_admin.partitions_of(consumer, raw)
        ranges = ops_admin.offset_ranges(admin, partitions, start=start, stop=stop)
        total = sum(r.count for r in ranges)
        span = f"from {start.isoformat() if start else 'the beginning'}" + (
            f" to {stop.isoformat()}" if stop else ""
        )
        _explain_replay(settings, consumer, ranges, span=span, republish=args.republish)
        if args.dry_run:
            for r in ranges:
                print(f"{raw}[{r.partition.partition}]: offsets {r.start}..{r.stop} ({r.count} records)")
            print(f"dry run: {total} raw record(s) {span} would be replayed", file=sys.stderr)
            return 0
        if args.republish:
            with _bar(total, f"replay → {raw}", "record") as bar:
                sent = ops_admin.republish(
                    settings.kafka, ranges, target=raw, on_record=lambda: bar.update(1)
                )
            print(f"republished {sent} raw record(s) {span} to {raw}", file=sys.stderr)
            return 0
        applied = ops_admin.reset_group(admin, group, ranges)
        ranges = [r for r, _ in applied]
        total = sum(r.count for r in ranges)
        for r, before in applied:
            kept = " (unchanged: a replay never moves a group forward)" if before == r.start else ""
            print(
                f"{raw}[{r.partition.partition}]: group {group} offset {'none' if before is None else before}"
                f" → {r.start}{kept} ({r.count} record(s) to reprocess)"
            )
        print(
            f"reset consumer group {group}: {total} raw record(s) {span} will be reprocessed "
            "when the worker starts (`wirewatch worker`)",
            file=sys.stderr,
        )
        if args.wait:
            return _wait_for_group(admin, group, ranges, timeout_s=args.wait_timeout)
    return 0


def _explain_replay(
    settings: Settings, consumer: Any, ranges: list[Any], *, span: str, republish: bool
) -> None:
    """Say what the replay does to each output, and refuse a coder changed without a version bump."""
    from streams.adapters import coder_identity, event_set_view, replay_plan
    from streams.adapters.topic_admin import worker_topics

    version, fingerprint = coder_identity.resolve(settings)  # the coder a worker here would code with
    sets = event_set_view.latest_sets(consumer, settings.topics.event_sets)
    plan = replay_plan.Plan(
        records=sum(r.count for r in ranges),
        partitions=len(ranges),
        span=span,
        version=version,
        fingerprint=fingerprint.digest,
        republish=republish,
        coded=event_set_view.coded_versions(sets or {}),
        topics=worker_topics(settings),
    )
    problem = replay_plan.conflicts(plan)
    if problem:
        raise coder_identity.CoderVersionError(problem)
    for line in replay_plan.explain(plan):
        print(line, file=sys.stderr)


def _wait_for_group(admin: Any, group: str, ranges: list[Any], *, timeout_s: float) -> int:
    from streams.adapters.ops_admin import committed_offsets

    stops = {r.partition: max(r.stop, r.start) for r in ranges}
    starts = {r.partition: r.start for r in ranges}
    total = sum(stops[tp] - starts[tp] for tp in stops)
    deadline = time.monotonic() + timeout_s
    with _bar(total, f"reprocessing ({group})", "record") as bar:
        done = 0
        while True:
            committed = committed_offsets(admin, group, list(stops))
            now_done = sum(min(stops[tp], max(starts[tp], committed[tp] or 0)) - starts[tp] for tp in stops)
            bar.update(now_done - done)
            done = now_done
            if done >= total:
                return 0
            if time.monotonic() > deadline:
                print(
                    f"wirewatch: gave up waiting after {timeout_s:.0f}s: {done}/{total} reprocessed",
                    file=sys.stderr,
                )
                return 1
            time.sleep(1.0)


# --- topics --------------------------------------------------------------------------------------


def _topics_create(args: argparse.Namespace) -> int:
    from streams.adapters import topic_admin
    from streams.adapters.kafka_clients import admin_client

    settings = _settings(args)
    with admin_client(settings.kafka) as admin:
        results = topic_admin.create_topics(admin, topic_admin.worker_specs(settings))
    for r in results:
        print(f"{r.status:8} {r.name}  ({r.detail})")
    return 0


def _topics_describe(args: argparse.Namespace) -> int:
    from streams.adapters import topic_admin
    from streams.adapters.kafka_clients import admin_client

    settings = _settings(args)
    names = [_resolve(settings, n) for n in args.names] or list(topic_admin.worker_topics(settings).values())
    with admin_client(settings.kafka) as admin:
        infos = topic_admin.describe_topics(admin, names)
    missing = 0
    for info in infos:
        if not info.exists:
            print(f"{info.name}: does not exist (wirewatch topics create)")
            missing += 1
            continue
        configs = ", ".join(f"{k}={v}" for k, v in sorted(info.configs.items())) or "broker defaults"
        print(f"{info.name}: {info.partitions} partition(s); configs: {configs}")
        for p in info.partition_list:
            print(f"  partition {p.partition}: leader {p.leader}, replicas {p.replicas}, in-sync {p.isr}")
    return 1 if missing else 0


# --- alerts --------------------------------------------------------------------------------------


def _alerts_check(args: argparse.Namespace) -> int:
    from streams.adapters.alerting import load_rules

    path = args.path or get_settings().app.alerts_config
    if path is None:
        raise InputError("no rules file: give a path or set WIREWATCH_APP__ALERTS_CONFIG")
    rules = load_rules(path)
    for rule in rules.rules:
        if rule.kind == "watch":
            what = (
                f"actors {','.join(rule.actors)} ({rule.involving}); quad {rule.quad_classes or 'any'}"
                f" / roots {rule.cameo_roots or 'any'}"
            )
        else:
            limits = []
            if rule.threshold is not None:
                limits.append(f">= {rule.threshold:g}")
            if rule.multiplier is not None:
                limits.append(
                    f">= {rule.multiplier:g}x mean of {rule.trailing_windows} windows"
                    f" (min {rule.min_value:g})"
                )
            what = (
                f"{rule.metric} of quad {rule.quad_classes} in {rule.window_hours:g}h {' or '.join(limits)}"
            )
        print(f"{rule.kind:11} {rule.severity:8} {rule.name}: {what}")
    hook = f"; webhook {rules.webhook.url} ({rules.webhook.retries} retries)" if rules.webhook else ""
    print(f"{path}: {len(rules.rules)} rule(s) OK{hook}", file=sys.stderr)
    return 0


__all__ = ["publish_paths", "register", "tail"]

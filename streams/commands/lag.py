"""``wirewatch lag``: the worker group's lag per partition, as ``kafka-consumer-groups --describe`` has it."""

from __future__ import annotations

import argparse
import json

from streams.errors import InputError
from streams.settings import get_settings, with_bootstrap


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lag",
        help="consumer lag of the worker group per partition (like kafka-consumer-groups --describe)",
        description="Per partition the group committed to or is assigned: the committed offset "
        "(CURRENT-OFFSET), the log end (LOG-END-OFFSET), their difference (LAG) and the member "
        "holding it, read from the brokers; then the total. The group is the worker's app id "
        "(settings.app.id) unless --group names another. The worker's own raw-topic lag is on its "
        "/metrics as wirewatch_consumer_lag.",
    )
    p.add_argument(
        "--bootstrap",
        metavar="HOST:PORT[,...]",
        help="Kafka bootstrap servers (default: WIREWATCH_KAFKA__BOOTSTRAP_SERVERS or settings)",
    )
    p.add_argument("--group", help="consumer group (default: settings.app.id)")
    p.add_argument(
        "--topic",
        action="append",
        metavar="TOPIC",
        dest="topics",
        help="only this topic (name or alias; repeatable); also lists its partitions the "
        "group never committed to",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per partition instead of the table")
    p.set_defaults(func=_lag)


def _lag(args: argparse.Namespace) -> int:
    from streams.adapters import ops_admin
    from streams.adapters.kafka_clients import admin_client
    from streams.adapters.lag import group_lag, render

    settings = with_bootstrap(get_settings(), args.bootstrap)
    group = args.group or settings.app.id
    topics = [ops_admin.resolve_topic(settings, t) for t in args.topics or []] or None
    with admin_client(settings.kafka) as admin:
        state, rows = group_lag(admin, group, topics)
    if not rows:
        raise InputError(
            f"consumer group {group!r} ({state}) has no committed offsets and no members on "
            f"{settings.kafka.bootstrap_servers}: is the worker's app id (WIREWATCH_APP__ID) {group!r}?"
        )
    if args.json:
        for r in rows:
            print(json.dumps({"group": group, "topic": r.topic, "partition": r.partition,
                              "committed": r.committed, "log_start": r.start, "log_end": r.end,
                              "lag": r.lag, "backlog": r.backlog, "member": r.member, "host": r.host,
                              "client_id": r.client_id}))  # fmt: skip
    else:
        print(render(group, state, rows))
    return 0

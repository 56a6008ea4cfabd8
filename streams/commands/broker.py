"""``wirewatch broker start|stop|status``: the local Apache Kafka broker (KRaft, Maven-fetched jars)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from streams.adapters.broker import LocalBroker
from streams.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "broker",
        help="start, stop or inspect the local Kafka broker",
        description="A real single-node Apache Kafka (KRaft) on 127.0.0.1, from jars Maven fetches once.",
    )
    sub = parser.add_subparsers(dest="broker_command", metavar="ACTION", required=True)
    for name, func, help_text in (
        ("start", _start, "start the broker (no-op if already running) and wait until it answers"),
        ("stop", _stop, "stop the broker and every process of it"),
        ("status", _status, "say whether the broker runs and answers metadata requests"),
    ):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--port", type=int, default=None, help="client port (default: broker.port, 9092)")
        p.add_argument(
            "--data-dir", type=Path, default=None, help="storage, log and pid file (default: broker.data_dir)"
        )
        if name == "status":
            p.add_argument("--json", action="store_true", help="print the status as JSON")
        p.set_defaults(func=func)


def _broker(args: argparse.Namespace) -> LocalBroker:
    return LocalBroker(get_settings().broker, port=args.port, data_dir=args.data_dir)


def _start(args: argparse.Namespace) -> int:
    print(_broker(args).start(progress=lambda message: print(message, file=sys.stderr, flush=True)))
    return 0


def _stop(args: argparse.Namespace) -> int:
    print(_broker(args).stop())
    return 0


def _status(args: argparse.Namespace) -> int:
    status = _broker(args).status()
    if args.json:
        print(json.dumps({
            "running": status.running, "ready": status.ready, "pid": status.pid,
            "bootstrap": status.bootstrap, "data_dir": str(status.data_dir), "log_file": str(status.log_file),
        }))  # fmt: skip
    else:
        print(status.describe())
    # like `systemctl status`: non-zero when not running, so scripts can test it
    return 0 if status.ready else 3

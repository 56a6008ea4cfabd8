"""``wirewatch broker start|stop|status``: the local Apache Kafka broker (KRaft, Maven-fetched jars)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from streams.adapters.broker import TOOLS, LocalBroker
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
        (
            "ensure",
            _ensure,
            "what `make run` does: use the local broker (starting it if needed), or the "
            "cluster WIREWATCH_KAFKA__BOOTSTRAP_SERVERS names; refuse a broker wirewatch did not start",
        ),
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

    tool = sub.add_parser(
        "tool",
        help="run one of Kafka's own command-line tools (kafka-consumer-groups, kafka-topics, ...)",
        description="Run a tool of Apache Kafka's binary distribution from the broker's cached jars "
        "(fetched by Maven on first use), against kafka.bootstrap_servers unless ARGS name "
        "--bootstrap-server. Tools: " + ", ".join(sorted(TOOLS)) + ". Example: wirewatch broker tool "
        "kafka-consumer-groups --describe --group wirewatch",
    )
    tool.add_argument("name", metavar="TOOL", choices=sorted(TOOLS), help="the tool's script name")
    tool.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS", help="the tool's own arguments")
    tool.set_defaults(func=_tool, port=None, data_dir=None)


def _broker(args: argparse.Namespace) -> LocalBroker:
    return LocalBroker(get_settings().broker, port=args.port, data_dir=args.data_dir)


def _start(args: argparse.Namespace) -> int:
    print(_broker(args).start(progress=lambda message: print(message, file=sys.stderr, flush=True)))
    return 0


def _ensure(args: argparse.Namespace) -> int:
    from streams.adapters.broker import describe_process, listener_pid, metadata_ok
    from streams.errors import BrokerError

    settings = get_settings()
    if settings.bootstrap_is_explicit:  # the user named a cluster: use it, once it answers
        bootstrap = settings.kafka.bootstrap_servers
        if settings.kafka.security_protocol == "PLAINTEXT" and not metadata_ok(
            bootstrap, timeout_s=settings.kafka.connect_timeout_s
        ):
            raise BrokerError(
                f"no Kafka broker answers at {bootstrap} (WIREWATCH_KAFKA__BOOTSTRAP_SERVERS) within "
                f"{settings.kafka.connect_timeout_s:g} s; unset it to use the local broker"
            )
        print(f"using the Kafka cluster WIREWATCH_KAFKA__BOOTSTRAP_SERVERS names: {bootstrap}")
        return 0
    broker = _broker(args)
    status = broker.status()
    if not status.running:
        owner = listener_pid(broker.port)
        if owner is not None or metadata_ok(broker.bootstrap, timeout_s=2.0):
            whose = describe_process(owner) if owner is not None else "a process this user cannot see"
            raise BrokerError(
                f"port {broker.port} is taken by a broker (or service) that `make run` did not start: "
                f"{whose}. Not joining it: its topics and consumer groups are someone else's. Run on "
                f"another port with WIREWATCH_BROKER__PORT=<port> (and WIREWATCH_WEB__PORT=<port> for "
                f"the views), or use that broker on purpose with WIREWATCH_KAFKA__BOOTSTRAP_SERVERS="
                f"{broker.bootstrap}"
            )
    print(broker.start(progress=lambda message: print(message, file=sys.stderr, flush=True)))
    return 0


def _stop(args: argparse.Namespace) -> int:
    print(_broker(args).stop())
    return 0


def _tool(args: argparse.Namespace) -> int:
    settings = get_settings()
    tool_args = list(args.args)
    if not any(a.split("=", 1)[0] in ("--bootstrap-server", "--broker-list") for a in tool_args):
        tool_args = ["--bootstrap-server", settings.kafka.bootstrap_servers, *tool_args]
    cmd = _broker(args).tool_command(
        args.name, tool_args, progress=lambda message: print(message, file=sys.stderr, flush=True)
    )
    return subprocess.run(cmd, check=False).returncode


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

"""``wirewatch worker``: run the streaming worker (all agents, tables and HTTP views)."""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from streams.errors import ConfigError
from streams.settings import Settings, get_settings, with_bootstrap


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run the streaming worker: raw articles → events, tables, alerts, HTTP views",
        description=(
            "Consume the raw-article topic, code every article, publish clean articles, events, "
            "canonical events, alerts and dead letters, and serve the tables over HTTP. "
            "Stop with Ctrl-C (SIGINT) or SIGTERM. Settings come from WIREWATCH_* variables."
        ),
    )
    parser.add_argument(
        "--bootstrap",
        metavar="HOST:PORT[,...]",
        help="Kafka bootstrap servers (default: WIREWATCH_KAFKA__BOOTSTRAP_SERVERS or settings)",
    )
    parser.add_argument("--web-port", type=int, default=None, help="HTTP port (default: web.port, 6066)")
    parser.add_argument("--web-host", default=None, help="HTTP bind address (default: web.host, 127.0.0.1)")
    parser.add_argument(
        "--loglevel",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="worker log level (default: warning)",
    )
    parser.add_argument(
        "--standby-replicas",
        type=int,
        default=1,
        metavar="N",
        help="other workers keeping a warm copy of each table partition (default: 1)",
    )
    parser.add_argument(
        "--no-create-topics",
        action="store_true",
        help="do not create missing topics before starting (they must exist)",
    )
    parser.set_defaults(func=_worker)


def worker_settings(base: Settings, *, web_port: int | None, web_host: str | None) -> Settings:
    changes = {k: v for k, v in (("port", web_port), ("host", web_host)) if v is not None}
    web = base.web.model_copy(update=changes)
    return base.model_copy(update={"web": web})


def check_web_port(host: str, port: int) -> None:
    """Refuse a taken HTTP port now, in one line, rather than as faust's traceback after the model load."""
    if not 1 <= port <= 65535:
        raise ConfigError(f"--web-port {port}: a port is a number from 1 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"web port {port} on {host} is already in use (another worker?); "
                    "pick a free one with --web-port or WIREWATCH_WEB__PORT"
                ) from exc
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                "check WIREWATCH_WEB__HOST / --web-host and WIREWATCH_WEB__PORT / --web-port"
            ) from exc


def _worker(args: argparse.Namespace) -> int:
    from streams.adapters import topic_admin
    from streams.adapters.faust_app import run_worker
    from streams.app import build_app
    from streams.codebook.location import codebook_dir

    base = with_bootstrap(get_settings(), args.bootstrap)
    settings = worker_settings(base, web_port=args.web_port, web_host=args.web_host)
    check_web_port(settings.web.host, settings.web.port)
    codebook_dir()  # a missing codebook is said before topics are created or the model loaded
    from streams.adapters import coder_identity

    version, fingerprint = coder_identity.resolve(settings)  # a coder changed without a version bump: refused
    if args.no_create_topics:
        from streams.adapters.kafka_clients import admin_client

        with admin_client(settings.kafka) as admin:  # reachable? (within kafka.connect_timeout_s)
            missing = sorted(set(topic_admin.worker_topics(settings).values()) - set(admin.list_topics()))
        if missing:
            raise ConfigError(f"--no-create-topics, but these topics do not exist: {', '.join(missing)}")
    else:
        created = topic_admin.ensure_topics(settings.kafka, topic_admin.worker_specs(settings))
        if created:
            print(f"created topics: {', '.join(created)}", file=sys.stderr)
    print(
        f"coder {version} (fingerprint {fingerprint.short}); loading the spaCy model {settings.nlp.model} …",
        file=sys.stderr,
    )
    app = build_app(settings, standby_replicas=args.standby_replicas)
    if not args.no_create_topics:  # internal topics too, before faust starts (issue 12: the producer hang)
        made = topic_admin.ensure_topics(settings.kafka, topic_admin.app_specs(app, settings))
        if made:
            print(f"created internal topics: {', '.join(made)}", file=sys.stderr)
    print(
        f"worker {settings.app.id} on {settings.kafka.bootstrap_servers}: "
        f"{settings.topics.raw} → {settings.topics.events}; "
        f"HTTP on http://{settings.web.host}:{settings.web.port}/healthz",
        file=sys.stderr,
    )
    run_worker(app, loglevel=args.loglevel)  # exits the process with the worker's status
    return 0  # pragma: no cover - run_worker does not return

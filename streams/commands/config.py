"""``wirewatch check-config``: print the resolved settings, secrets masked."""

from __future__ import annotations

import argparse

from streams.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-config",
        help="print the resolved settings as JSON (secrets masked)",
        description="Read settings from the environment (WIREWATCH_*, nested with __) and print them.",
    )
    parser.set_defaults(func=_check_config)


def resolved_settings_json() -> str:
    settings = load_settings()  # fresh, not the cached one: this command is about the environment now
    # mode="json" renders SecretStr as '**********', never the value
    return settings.model_dump_json(indent=2)


def _check_config(args: argparse.Namespace) -> int:
    print(resolved_settings_json())
    return 0

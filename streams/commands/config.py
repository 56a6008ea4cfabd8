"""``wirewatch check-config``: print the resolved settings, secrets masked."""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from streams.errors import ConfigError
from streams.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-config",
        help="print the resolved settings as JSON (secrets masked)",
        description="Read settings from the environment (WIREWATCH_*, nested with __) and print them.",
    )
    parser.set_defaults(func=_check_config)


def resolved_settings_json() -> str:
    try:
        settings = Settings()  # fresh, not the cached one: this command is about the environment now
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {where}: {first['msg']} ({exc.error_count()} error(s))") from exc
    # mode="json" renders SecretStr as '**********', never the value
    return settings.model_dump_json(indent=2)


def _check_config(args: argparse.Namespace) -> int:
    print(resolved_settings_json())
    return 0

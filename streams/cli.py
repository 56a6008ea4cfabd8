"""The ``wirewatch`` command: thin sub-commands that call plain functions.

Each sub-command lives in a module of ``streams.commands`` with a
``register(subparsers)`` function; this file only wires them together and turns
every error into one readable line (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from streams import __version__
from streams.errors import WirewatchError

# Modules under streams.commands, each adding its sub-commands.
COMMAND_MODULES = (
    "broker",
    "codebook",
    "coder",
    "config",
    "offline",
    "stories",
    "evaluate",
    "stream",
    "ops",
    "export",
    "lag",
    "bench",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirewatch",
        description="Real-time diplomatic-event extraction from news wires.",
    )
    parser.add_argument("--version", action="version", version=f"wirewatch {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"streams.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"streams.commands.{name}":
                continue  # command group not built yet
            raise
        module.register(sub)
    return parser


def _warn_unknown_variables() -> None:
    """A WIREWATCH_ variable no setting reads is almost always a typo: say so (it is otherwise ignored)."""
    from streams.settings import unknown_variables

    for name, close in unknown_variables():
        hint = f" (did you mean {close}?)" if close else " (`wirewatch check-config` lists the settings)"
        print(f"wirewatch: warning: {name} is not a wirewatch setting and is ignored{hint}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    _warn_unknown_variables()
    try:
        result = args.func(args)
    except WirewatchError as exc:
        print(f"wirewatch: error: {exc}", file=sys.stderr)
        if args.debug:
            raise
        return exc.exit_code
    except KeyboardInterrupt:
        print("wirewatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, not a traceback
        if args.debug:
            raise
        print(
            f"wirewatch: error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

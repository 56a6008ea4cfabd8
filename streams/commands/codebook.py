"""``wirewatch codebook install|status``: the third-party dictionaries, code tables and gold sets."""

from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path

from streams.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "codebook",
        help="install or inspect the third-party dictionaries, code tables and gold sets",
        description="The files listed in streams/codebook/sources.toml, pinned by commit and sha256: "
        "fetched from their upstream repositories (or a local mirror) into a versioned cache directory.",
    )
    sub = parser.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    inst = sub.add_parser(
        "install",
        help="fetch, verify and install the codebook (does nothing when it is installed already)",
        description="Fetch every file of the manifest from its upstream repository at the pinned commit "
        "(or copy it from --from DIR), verify its sha256 and install them all at once.",
    )
    inst.add_argument(
        "--from",
        dest="mirror",
        type=Path,
        default=None,
        metavar="DIR",
        help="copy from this local mirror (laid out as the manifest's paths) instead of fetching "
        "(default: codebook.mirror, WIREWATCH_CODEBOOK__MIRROR)",
    )
    inst.set_defaults(func=_install)
    st = sub.add_parser("status", help="say what is installed and where (exit 3 when nothing is)")
    st.add_argument("--json", action="store_true", help="print the status as JSON")
    st.set_defaults(func=_status)


def _install(args: argparse.Namespace) -> int:
    from streams.codebook.install import install

    install(get_settings().codebook, mirror=args.mirror, say=_say)
    return 0


def _say(line: str) -> None:
    with contextlib.suppress(BrokenPipeError):  # `... | head`: the install goes on
        print(line, flush=True)


def _status(args: argparse.Namespace) -> int:
    from streams.codebook.install import status

    result = status(get_settings().codebook)
    print(json.dumps(result.as_json, indent=2) if args.json else "\n".join(result.lines))
    return 0 if result.installed else 3

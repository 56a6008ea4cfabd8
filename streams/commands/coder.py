"""``wirewatch coder fingerprint|lock``: the coder's version and the fingerprint of what it loads."""

from __future__ import annotations

import argparse
import json
import sys

from streams.errors import ConfigError
from streams.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "coder",
        help="the coder's version and fingerprint (what a replay would code with)",
        description="Every event id includes the coder version, so a coder that codes differently "
        "needs a new version. The fingerprint hashes the coder's modules, dictionaries, installed "
        "codebook files and spaCy model; streams/coder_versions.json records it for each built-in "
        "version, and the worker and `wirewatch replay` refuse a coder whose fingerprint does not "
        "match the record of its version.",
    )
    sub = p.add_subparsers(dest="coder_command", metavar="ACTION", required=True)
    f = sub.add_parser("fingerprint", help="print the version, the fingerprint and whether they match")
    f.add_argument("--parts", action="store_true", help="also list every part and its sha256 (JSON)")
    f.set_defaults(func=_fingerprint)
    lock = sub.add_parser(
        "lock",
        help="record the fingerprint of the built-in CODER_VERSION (after bumping it)",
        description="Write the current fingerprint under CODER_VERSION into streams/coder_versions.json. "
        "A version already recorded with another fingerprint is refused: bump CODER_VERSION in "
        "streams/core/pipeline.py first, or pass --same-output when the change leaves every event "
        "exactly as it was (a refactor; `wirewatch eval corpus` before and after shows it).",
    )
    lock.add_argument(
        "--same-output",
        action="store_true",
        help="re-record an existing version: the change does not alter any event",
    )
    lock.set_defaults(func=_lock)


def _fingerprint(args: argparse.Namespace) -> int:
    from streams.adapters import coder_identity as ci
    from streams.core.pipeline import CODER_VERSION

    settings = get_settings()
    fp = ci.compute(settings)
    version = settings.coder.version or CODER_VERSION
    try:
        ci.check(version, fp, ci.read_lock(), builtin=CODER_VERSION)
        verdict = "recorded" if version in ci.read_lock() else "not recorded (a coder of your own)"
        status = 0
    except ci.CoderVersionError as exc:
        verdict, status = f"REFUSED: {exc}", 1
    print(f"coder {version}  fingerprint {fp.digest}  {verdict}")
    if args.parts:
        print(json.dumps(fp.parts, indent=1, sort_keys=True))
    return status


def _lock(args: argparse.Namespace) -> int:
    from streams.adapters import coder_identity as ci
    from streams.core.pipeline import CODER_VERSION

    settings = get_settings()
    if (
        settings.coder.version
        or settings.coder.factory
        or settings.codebook.dir
        or (settings.nlp.model != type(settings.nlp)().model)
    ):
        raise ConfigError(
            "`wirewatch coder lock` records the built-in coder only: unset "
            "WIREWATCH_CODER__*, WIREWATCH_CODEBOOK__DIR and WIREWATCH_NLP__MODEL"
        )
    fp = ci.compute(settings)
    versions = ci.read_lock()
    record = versions.get(CODER_VERSION)
    if record is not None and record["fingerprint"] == fp.digest:
        print(
            f"{CODER_VERSION} is recorded with this fingerprint ({fp.short}): nothing to do", file=sys.stderr
        )
        return 0
    if record is not None and not args.same_output:
        changed = ", ".join(fp.changed_parts(record.get("parts", {}))[:6])
        raise ci.CoderVersionError(
            f"{CODER_VERSION} is recorded with fingerprint {record['fingerprint'][:12]}, not {fp.short} "
            f"(changed: {changed}): bump CODER_VERSION in streams/core/pipeline.py, or pass --same-output "
            "if no event changes"
        )
    versions[CODER_VERSION] = {"fingerprint": fp.digest, "parts": fp.parts}
    ci.write_lock(versions)
    print(f"recorded {CODER_VERSION}: fingerprint {fp.short} in {ci.LOCK_FILE.name}", file=sys.stderr)
    return 0

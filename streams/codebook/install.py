"""``wirewatch codebook install|status``: fetch the manifest's files, verify them, install atomically.

Each file comes from its upstream repository at the pinned commit over HTTPS
(``<codebook.base_url>/<repo>/<commit>/<upstream_path>``), or from a local mirror laid out
as the manifest's paths (``--from DIR`` / ``codebook.mirror``). Every file's sha256 must
match the manifest; one that does not is refused and nothing is installed. The files are
written to a private temporary directory next to the target and renamed into place in one
step, so a reader sees either no install or a complete one. A second run finds the install
complete and verified and does nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from streams import __version__
from streams.codebook.location import RECORD_NAME, install_dir, installs_root
from streams.codebook.manifest import Manifest, Source, load_manifest
from streams.errors import CodebookInstallError

if TYPE_CHECKING:
    from streams.settings import CodebookSettings

CHUNK = 1 << 16
MIRROR_HINT = "`wirewatch codebook install --from DIR` installs from a local mirror"


def size_text(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_dir(folder: Path, manifest: Manifest) -> list[str]:
    """What is wrong with ``folder`` as an install of ``manifest`` (empty: nothing)."""
    problems = []
    for source in manifest:
        file = folder / source.path
        if not file.is_file():
            problems.append(f"{source.path} missing")
        elif sha256_file(file) != source.sha256:
            problems.append(f"{source.path} changed")
    return problems


def read_record(folder: Path) -> dict | None:
    try:
        return json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# -- getting one file ------------------------------------------------------------------------------


def _copy_verified(src: BinaryIO, dest: Path, source: Source, where: str) -> int:
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    got = digest.hexdigest()
    if got != source.sha256:
        raise CodebookInstallError(
            f"refusing {source.path} from {where}: its sha256 is {got[:16]}…, the manifest pins "
            f"{source.sha256[:16]}… ({source.origin}); nothing was installed"
        )
    return size


def copy_from_mirror(mirror: Path, source: Source, dest: Path) -> int:
    src = mirror / source.path
    try:
        with src.open("rb") as fh:
            return _copy_verified(fh, dest, source, f"mirror {mirror}")
    except FileNotFoundError:
        raise CodebookInstallError(f"mirror {mirror} has no {source.path}; nothing was installed") from None
    except IsADirectoryError:
        raise CodebookInstallError(f"mirror {mirror}: {source.path} is a directory") from None
    except PermissionError as exc:
        raise CodebookInstallError(f"cannot read {src}: {exc.strerror}; nothing was installed") from None


def _reason(exc: BaseException, timeout_s: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout_s:g} s"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def fetch_upstream(base_url: str, source: Source, dest: Path, timeout_s: float) -> int:
    url = source.url(base_url)
    request = urllib.request.Request(url, headers={"User-Agent": f"wirewatch/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return _copy_verified(response, dest, source, url)
    except CodebookInstallError:
        raise
    # URLError, HTTPError, timeouts and resets are OSErrors; a cut-off body is an HTTPException
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # an error response holds its connection open until closed
        raise CodebookInstallError(
            f"cannot fetch {source.path} from {url}: {_reason(exc, timeout_s)} "
            f"(no network? {MIRROR_HINT}); nothing was installed"
        ) from None


# -- installing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where the files come from: a local mirror, or the upstream repositories."""

    mirror: Path | None
    base_url: str
    timeout_s: float

    def describe(self) -> str:
        return f"mirror {self.mirror}" if self.mirror else self.base_url

    def get(self, source: Source, dest: Path) -> int:
        if self.mirror is not None:
            return copy_from_mirror(self.mirror, source, dest)
        return fetch_upstream(self.base_url, source, dest, self.timeout_s)


def origin_for(settings: CodebookSettings, mirror: Path | None = None) -> Origin:
    mirror = mirror if mirror is not None else settings.mirror
    if mirror is not None:
        mirror = Path(os.path.abspath(Path(mirror).expanduser()))  # the record names where it came from
        if not mirror.is_dir():
            raise CodebookInstallError(f"mirror {mirror} is not a directory")
    return Origin(mirror=mirror, base_url=settings.base_url, timeout_s=settings.timeout_s)


@contextmanager
def _staging(root: Path, name: str) -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=root))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def install(
    settings: CodebookSettings,
    *,
    mirror: Path | None = None,
    manifest: Manifest | None = None,
    say: Callable[[str], None] = print,
) -> Path:
    """Install ``manifest`` (default: this wirewatch's) and return its directory."""
    manifest = manifest or load_manifest()
    target = install_dir(settings, manifest)
    if target.exists():
        problems = verify_dir(target, manifest) + ([] if read_record(target) else [f"{RECORD_NAME} missing"])
        if not problems:
            say(f"codebook {manifest.hash} is already installed in {target} "
                f"({len(manifest)} files, sha256 verified): nothing to do")  # fmt: skip
            return target
        say(f"codebook in {target} is damaged ({'; '.join(problems[:3])}"
            f"{' …' if len(problems) > 3 else ''}): installing it again")  # fmt: skip
    origin = origin_for(settings, mirror)
    root = installs_root(settings)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CodebookInstallError(f"cannot create {root}: {exc.strerror}") from None
    verb = "copied" if origin.mirror else "fetched"
    say(f"installing codebook {manifest.hash} ({len(manifest)} files) from {origin.describe()} into {target}")
    total = 0
    with _staging(root, manifest.hash) as tmp:
        for source in manifest:
            dest = tmp / source.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            size = origin.get(source, dest)
            dest.chmod(0o444)
            total += size
            say(
                f"  {verb} {source.path} ({size_text(size)}; {source.repo}@{source.commit[:7]}, "
                f"{source.licence}): sha256 ok"
            )
        record = {
            "manifest_hash": manifest.hash,
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "from": origin.describe(),
            "wirewatch": __version__,
            "files": {s.path: s.sha256 for s in manifest},
        }
        (tmp / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        for folder in (tmp, *(p for p in tmp.rglob("*") if p.is_dir())):
            folder.chmod(0o755)  # mkdtemp's 0700 would hide the install from other users (Docker)
        _swap_in(tmp, target, manifest)
    say(f"installed codebook {manifest.hash} ({len(manifest)} files, {size_text(total)}) in {target}")
    return target


def _swap_in(tmp: Path, target: Path, manifest: Manifest) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError:
        # another install finished first: keep it if it is complete
        if not (target.is_dir() and not verify_dir(target, manifest) and read_record(target)):
            raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# -- status ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    installed: bool
    lines: tuple[str, ...]
    as_json: dict


def status(settings: CodebookSettings, manifest: Manifest | None = None) -> Status:
    manifest = manifest or load_manifest()
    target = install_dir(settings, manifest)
    record = read_record(target) if target.is_dir() else None
    problems = verify_dir(target, manifest) if record else []
    installed = record is not None and not problems
    lines = []
    if record is not None and installed:
        lines.append(
            f"codebook {manifest.hash}: installed in {target} (from {record.get('from')}, "
            f"{record.get('installed_at')}); {len(manifest)} files, every sha256 matches the manifest"
        )
    elif record is not None:
        lines.append(f"codebook {manifest.hash}: damaged install in {target} ({'; '.join(problems)}): "
                     "run `wirewatch codebook install` to repair it")  # fmt: skip
    else:
        lines.append(f"codebook {manifest.hash}: not installed (it goes to {target}): "
                     "run `wirewatch codebook install`")  # fmt: skip
    read_from = target
    if settings.dir is not None:
        read_from = Path(settings.dir).expanduser()
        own = verify_dir(read_from, manifest) if read_from.is_dir() else ["directory missing"]
        lines.append(f"the loaders read codebook.dir {read_from} instead"
                     f" ({'matches the manifest' if not own else '; '.join(own[:4])})")  # fmt: skip
        installed = read_from.is_dir()
    width = max(len(s.path) for s in manifest)
    for s in manifest:
        lines.append(f"  {s.use:<10}  {s.path:<{width}}  {s.licence:<12}  {s.repo}@{s.commit[:7]}")
    others = sorted(p.name for p in installs_root(settings).glob("*")
                    if p.is_dir() and not p.name.startswith(".") and p.name != manifest.hash)  # fmt: skip
    if others:
        lines.append(
            f"other installs in {installs_root(settings)}, not used by this wirewatch: {', '.join(others)}"
        )
    as_json = {
        "manifest_hash": manifest.hash,
        "installed": installed,
        "install_dir": str(target),
        "read_from": str(read_from),
        "record": record,
        "problems": problems,
    }
    return Status(installed=installed, lines=tuple(lines), as_json=as_json)

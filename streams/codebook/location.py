"""Where the loaders find the installed third-party codebook.

``wirewatch codebook install`` puts the files of the manifest (``sources.toml``) in
``<codebook.home>/codebook/<manifest hash>/``; setting ``codebook.dir``
(``WIREWATCH_CODEBOOK__DIR``) points the loaders at another directory laid out the same
way. Settings are read when a file is asked for, never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from streams.codebook.manifest import Manifest, load_manifest
from streams.errors import CodebookMissingError

if TYPE_CHECKING:
    from streams.settings import CodebookSettings

INSTALL_COMMAND = "wirewatch codebook install"
# written last into a complete install; its presence is what "installed" means
RECORD_NAME = "wirewatch-codebook.json"


def _settings(settings: CodebookSettings | None) -> CodebookSettings:
    if settings is not None:
        return settings
    from streams.settings import get_settings

    return get_settings().codebook


def installs_root(settings: CodebookSettings | None = None) -> Path:
    """``<codebook.home>/codebook``: one sub-directory per manifest hash."""
    return Path(_settings(settings).home).expanduser() / "codebook"


def install_dir(settings: CodebookSettings | None = None, manifest: Manifest | None = None) -> Path:
    """Where ``wirewatch codebook install`` puts this manifest's files."""
    return installs_root(settings) / (manifest or load_manifest()).hash


def codebook_dir(settings: CodebookSettings | None = None) -> Path:
    """The directory the loaders read: ``codebook.dir`` when set, else the installed copy."""
    s = _settings(settings)
    if s.dir is not None:
        folder = Path(s.dir).expanduser()
        if not folder.is_dir():
            raise CodebookMissingError(f"codebook.dir {folder} is not a directory (WIREWATCH_CODEBOOK__DIR)")
        return folder
    folder = install_dir(s)
    if not (folder / RECORD_NAME).is_file():
        raise CodebookMissingError(
            f"the third-party codebook (dictionaries, code tables, gold sets) is not installed in {folder}: "
            f"run `{INSTALL_COMMAND}` (or `make install`)"
        )
    return folder


def codebook_file(path: str, settings: CodebookSettings | None = None) -> Path:
    """The installed copy of the manifest entry ``path`` (e.g. ``codebooks/CAMEO2PLOVER-2021.txt``)."""
    load_manifest().get(path)  # a typo here is a programming error: KeyError
    folder = codebook_dir(settings)
    file = folder / path
    if not file.is_file():
        raise CodebookMissingError(
            f"{path} is missing from the codebook in {folder}: run `{INSTALL_COMMAND}`"
        )
    return file

"""The codebook bundle: every dictionary the coder reads, loaded once.

``load_codebook()`` reads the Phoenix/PETRARCH-2 dictionaries of the installed
third-party codebook (``wirewatch codebook install``; the files are listed, pinned, in
``sources.toml``, see :mod:`streams.codebook.location` for where they are read from) and
wirewatch's own additions under ``streams/codebook/data/`` (``wirewatch.*``).
``load_codebook(dir)`` reads the actor, agent, verb and discard dictionaries from ``dir``
instead (``*.actors.txt``, ``*.agents.txt``, ``*.verbs.txt``, ``*.discards.txt``), which is
how PETRARCH-2's validation suite with its fictional ``PETR.Validate.*`` dictionaries is
run. The CAMEO/PLOVER codebook, nationalities and gazetteer are always the installed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from streams.codebook.cameo import CameoCodebook
from streams.codebook.discards import DiscardList, load_discards
from streams.codebook.location import codebook_dir
from streams.codebook.verbs import (
    VerbDictionary,
    load_verb_dictionary,
    merge_verbs,
    parse_verb_dictionary,
    verbs_file,
)
from streams.errors import ModelError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from streams.codebook.actors import ActorDictionary
    from streams.codebook.agents import AgentDictionary
    from streams.codebook.places import Gazetteer

DATA_DIR = Path(__file__).parent / "data"
# Our own additions in the PETRARCH verb format (patterns CAMEO.2.0 lacks), merged
# after the main dictionary so that they extend its verb blocks.
EXTRA_VERBS = DATA_DIR / "wirewatch.verbs.txt"


@dataclass(frozen=True)
class Codebook:
    """Every index the coder reads; core takes one of these and reads its fields directly."""

    actors: ActorDictionary
    agents: AgentDictionary
    verbs: VerbDictionary
    cameo: CameoCodebook
    nationalities: Mapping[str, str]  # nationality adjective or demonym (upper case) → ISO3
    places: Gazetteer
    discards: DiscardList
    dictionaries_dir: Path | None = None


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern))


def load_verbs(paths: list[Path]) -> VerbDictionary:
    """Verb files in order; a later file overrides (see :func:`merge_verbs`)."""
    merged: VerbDictionary | None = None
    for p in paths:
        vd = parse_verb_dictionary(p.read_text(encoding="utf-8", errors="replace"))
        merged = vd if merged is None else merge_verbs(merged, vd)
    if merged is None:
        raise ModelError("no verb dictionary given")
    return merged


def load_codebook(dictionaries_dir: Path | None = None) -> Codebook:
    """The coder's dictionaries, loaded once per (dictionaries folder, installed codebook)."""
    installed = codebook_dir()  # one line naming the install command when there is none
    try:
        return _load_codebook(None if dictionaries_dir is None else Path(dictionaries_dir), installed)
    except FileNotFoundError as exc:
        raise ModelError(f"codebook file missing: {exc.filename}") from exc


@lru_cache(maxsize=4)
def _load_codebook(dictionaries_dir: Path | None, installed: Path) -> Codebook:
    # ``installed`` is the cache key for the installed files the loaders below read

    from streams.codebook.actors import load_actor_dictionary
    from streams.codebook.agents import load_agent_dictionary, load_nationalities
    from streams.codebook.places import load_gazetteer

    if dictionaries_dir is None:
        actors = load_actor_dictionary()
        agents = load_agent_dictionary()
        verb_files = [verbs_file()] + ([EXTRA_VERBS] if EXTRA_VERBS.exists() else [])
        verbs = load_verbs(verb_files)
        discards = load_discards()
    else:
        if not dictionaries_dir.is_dir():
            raise ModelError(f"dictionaries folder not found: {dictionaries_dir}")
        actor_files = _files(dictionaries_dir, "*.actors.txt")
        agent_files = _files(dictionaries_dir, "*.agents.txt")
        verb_files = _files(dictionaries_dir, "*.verbs.txt")
        if not actor_files or not verb_files:
            raise ModelError(f"{dictionaries_dir}: needs *.actors.txt and *.verbs.txt dictionaries")
        actors = load_actor_dictionary(actor_files)
        agents = load_agent_dictionary(agent_files) if agent_files else load_agent_dictionary()
        verbs = load_verbs(verb_files)
        discard_files = _files(dictionaries_dir, "*.discards.txt")
        discards = load_discards(discard_files[0]) if discard_files else load_discards()
    return Codebook(
        actors=actors,
        agents=agents,
        verbs=verbs,
        cameo=CameoCodebook.from_files(),
        nationalities=load_nationalities(),
        places=load_gazetteer(),
        discards=discards,
        dictionaries_dir=dictionaries_dir,
    )


__all__ = ["Codebook", "load_codebook", "load_verb_dictionary", "load_verbs"]

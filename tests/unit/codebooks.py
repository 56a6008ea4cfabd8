"""A test factory for ``streams.codebook.Codebook``: the indexes a test names, empty ones for the rest.

Core reads every field of the codebook directly (no ``getattr`` defaults), so a test builds a
real ``Codebook`` with small dictionaries of its own rather than a stand-in object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streams.codebook import Codebook
from streams.codebook.actors import ActorDictionary
from streams.codebook.agents import AgentDictionary
from streams.codebook.cameo import CameoCodebook
from streams.codebook.discards import DiscardList
from streams.codebook.places import Gazetteer
from streams.codebook.verbs import VerbDictionary


def make_codebook(
    *,
    actors: ActorDictionary | None = None,
    agents: AgentDictionary | None = None,
    verbs: VerbDictionary | None = None,
    cameo: CameoCodebook | None = None,
    nationalities: Mapping[str, str] | None = None,
    places: Gazetteer | None = None,
    discards: DiscardList | None = None,
    **unknown: Any,
) -> Codebook:
    if unknown:
        raise TypeError(f"Codebook has no field(s) {', '.join(sorted(unknown))}")
    return Codebook(
        actors=actors if actors is not None else ActorDictionary([]),
        agents=agents if agents is not None else AgentDictionary([]),
        verbs=verbs if verbs is not None else VerbDictionary(),
        cameo=cameo if cameo is not None else CameoCodebook({}),
        nationalities=nationalities if nationalities is not None else {},
        places=places if places is not None else Gazetteer([], {}),
        discards=discards if discards is not None else DiscardList(sentence=None, story=None),
    )

"""One coded reading of one trigger in one sentence, before readings are merged into events.

Made by ``streams.core.triggers`` and read by ``streams.core.roots`` (the root rules),
``streams.core.codings`` and ``streams.core.classify``; on its own so that none of them
imports another only for the record's type.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from schemas.events import Modality
from streams.core.mentions import ActorMention


@dataclass(frozen=True)
class Coding:
    """One coded reading of one trigger in one sentence (before merging)."""

    source: ActorMention
    target: ActorMention | None
    code: str
    trigger: int  # token index
    sentence: Span
    how: str  # pattern | verb | intent | nominal
    modality: Modality = Modality.ASSERTED

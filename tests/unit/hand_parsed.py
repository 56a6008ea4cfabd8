"""spaCy Docs built by hand from written-out parses, for unit tests without the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy
from spacy.tokens import Doc

_VOCAB = spacy.blank("en").vocab


def hand_parsed(
    sentences: Sequence[Sequence[tuple[Any, ...]]], fields: Sequence[str], *, tight_punctuation: bool = False
) -> Doc:
    """A Doc from sentences of token tuples whose slots are named by ``fields``.

    ``fields`` holds ``word``, ``head`` (the head's index within its sentence) and any of
    ``lemma``, ``pos``, ``tag``, ``dep``, ``ent``. ``tight_punctuation``: no space before
    ``.``, ``,`` and ``'s`` (otherwise every token is followed by one).
    """
    columns: dict[str, list[Any]] = {name: [] for name in fields}
    starts: list[bool] = []
    for sentence in sentences:
        base = len(starts)
        for k, token in enumerate(sentence):
            for name, value in zip(fields, token, strict=True):
                columns[name].append(base + value if name == "head" else value)
            starts.append(k == 0)
    words = columns.pop("word")
    spaces = None
    if tight_punctuation:
        spaces = [i + 1 < len(words) and words[i + 1] not in (".", ",", "'s") for i in range(len(words))]
    plural = {"lemma": "lemmas", "head": "heads", "dep": "deps", "ent": "ents", "tag": "tags"}
    return Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        sent_starts=starts,
        **{plural.get(name, name): values for name, values in columns.items()},
    )

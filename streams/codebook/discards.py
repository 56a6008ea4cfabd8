"""PETRARCH discard lists: phrases that disqualify a sentence (or, with ``+``, a story).

Format (``Phoenix.discards.txt``): one phrase a line, ``#`` comments; a leading ``+``
makes it a story-level discard; a trailing ``_`` means the match must end at a word
boundary, otherwise the phrase is a stem ("BASEBALL" also matches "BASEBALLS").
Matching is case-insensitive and starts at a word boundary, as in PETRARCH. Bare
years in the sentence list are not used (see :func:`parse_discards`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from streams.codebook.phrase_regex import PhraseRegex

# the installed Phoenix discard list (manifest path, see streams/codebook/sources.toml)
DISCARDS_FILE = "dictionaries/petrarch2/Phoenix.discards.txt"


def discards_file() -> Path:
    from streams.codebook.location import codebook_file

    return codebook_file(DISCARDS_FILE)


@dataclass(frozen=True)
class DiscardList:
    sentence: PhraseRegex | None
    story: PhraseRegex | None

    def discards_sentence(self, text: str) -> bool:
        return bool(self.sentence and self.sentence.search(text))

    def sentence_matches(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the sentence-level discard phrases found in ``text``."""
        if self.sentence is None:
            return []
        return self.sentence.spans(text)

    def discards_story(self, text: str) -> bool:
        return bool(self.story and self.story.search(text))


def _compile(phrases: list[str]) -> PhraseRegex | None:
    """One case-insensitive alternation, longest phrase first (bench: matched through
    :class:`~streams.codebook.phrase_regex.PhraseRegex`, which tries only the phrases
    whose first word is in the text, with the same result)."""
    if not phrases:
        return None
    parts, firsts = [], []
    for p in sorted(set(phrases), key=len, reverse=True):
        whole = p.endswith("_")
        words = [re.escape(w) for w in re.split(r"[\s_]+", p.strip("_ ")) if w]
        if not words:
            continue
        body = r"\s+".join(words)
        parts.append(rf"(?<!\w){body}" + (r"(?!\w)" if whole else ""))
        firsts.append(re.split(r"[\s_]+", p.strip("_ "))[0])
    return PhraseRegex(parts, firsts) if parts else None


def parse_discards(text: str) -> DiscardList:
    sentence: list[str] = []
    story: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<"):
            continue
        if line.startswith("+"):
            story.append(line[1:].strip())
        elif re.fullmatch(r"\d{4}_?", line):
            # Phoenix lists years (1914–1991) to drop historical chronologies; in wire copy a
            # year is mostly background ("split with Moscow in 1961") and would drop the
            # whole sentence with the current event in it.
            continue
        else:
            sentence.append(line)
    return DiscardList(_compile(sentence), _compile(story))


def load_discards(path: Path | None = None) -> DiscardList:
    """The discard list in ``path``; without one, the installed Phoenix list."""
    path = discards_file() if path is None else path
    return parse_discards(path.read_text(encoding="utf-8", errors="replace"))

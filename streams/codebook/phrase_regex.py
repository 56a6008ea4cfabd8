"""A big alternation of phrases, matched like one regex but only over the phrases that can occur.

Python's ``re`` tries every alternative of ``a|b|c|…`` at every position of the text: the
343 sentence-level discard phrases made ``finditer`` over an article one of the coder's
largest costs (bench/README.md). A phrase can only match where its first word occurs, so
:class:`PhraseRegex` first keeps the alternatives whose first word is a substring of the
lower-cased text, then runs the alternation of those alone, in their original order.

Dropping alternatives that cannot match anywhere changes nothing an alternation finds
(leftmost match, first alternative that matches at a position, non-overlapping), so
:meth:`search` and :meth:`spans` return exactly what the full regex does
(``tests/unit/test_phrase_regex.py`` compares them on every phrase and random text). The
few characters that ``re.IGNORECASE`` folds onto an ASCII letter without ``str.lower``
doing so (the Kelvin sign, the long s, dotted and dotless i) send a text to the full regex.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Non-ASCII characters re.IGNORECASE matches to an ASCII letter (K, ſ, ı, İ).
_FOLDS_TO_ASCII = re.compile("[\u212a\u017f\u0131\u0130]")
_CACHE_SIZE = 512


class PhraseRegex:
    """``alternatives`` are regex sources; ``first_words`` their literal first words (any case)."""

    def __init__(self, alternatives: Sequence[str], first_words: Sequence[str], flags: int = re.IGNORECASE):
        if len(alternatives) != len(first_words):
            raise ValueError("one first word per alternative")
        self.alternatives = tuple(alternatives)
        self.flags = flags
        self.full = re.compile("|".join(self.alternatives), flags)
        self.pattern = self.full.pattern
        self._always: list[int] = []  # alternatives without a usable literal first word
        self._by_word: dict[str, list[int]] = {}
        for k, word in enumerate(first_words):
            if word and word.isascii():
                self._by_word.setdefault(word.lower(), []).append(k)
            else:
                self._always.append(k)
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}

    def _regex_for(self, text: str) -> re.Pattern[str] | None:
        if not text.isascii() and _FOLDS_TO_ASCII.search(text):
            return self.full
        low = text.lower()
        picked = list(self._always)
        for word, ks in self._by_word.items():
            if word in low:
                picked.extend(ks)
        key = tuple(sorted(picked))
        regex = self._compiled.get(key, False)
        if regex is False:
            regex = re.compile("|".join(self.alternatives[k] for k in key), self.flags) if key else None
            if len(self._compiled) >= _CACHE_SIZE:
                self._compiled.clear()
            self._compiled[key] = regex
        return regex

    def search(self, text: str) -> re.Match[str] | None:
        regex = self._regex_for(text)
        return regex.search(text) if regex is not None else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        regex = self._regex_for(text)
        return [m.span() for m in regex.finditer(text)] if regex is not None else []


__all__ = ["PhraseRegex"]

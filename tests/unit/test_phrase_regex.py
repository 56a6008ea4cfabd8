"""PhraseRegex finds exactly what the one big alternation finds (the discard lists' matcher)."""

from __future__ import annotations

import random
import re

import pytest

from streams.codebook.discards import load_discards, parse_discards
from streams.codebook.phrase_regex import PhraseRegex


def _full_spans(p: PhraseRegex, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in p.full.finditer(text)]


def _phrases(p: PhraseRegex) -> list[str]:
    # a readable instance of each alternative: unescape, \s+ -> one space, drop the guards
    out = []
    for alt in p.alternatives:
        body = alt.removeprefix(r"(?<!\w)").removesuffix(r"(?!\w)")
        out.append(re.sub(r"\\(.)", r"\1", body.replace(r"\s+", " ")))
    return out


FILLER = ["the", "talks", "said", "Putin", "years", "on", "a", "round", "of", "ball", "-", ",", "“", "x"]


def _texts(p: PhraseRegex, seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    phrases = _phrases(p)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.4:
                w = rng.choice(phrases)
                w = rng.choice([w, w.lower(), w.title(), w + "s", w[:-1], "x" + w, w.replace(" ", "  ")])
            else:
                w = rng.choice(FILLER)
            parts.append(w)
        out.append(rng.choice([" ", "", "\n\n"]).join(parts) if rng.random() < 0.2 else " ".join(parts))
    return out


@pytest.fixture(scope="module")
def installed():
    return load_discards()


@pytest.mark.parametrize("level", ["sentence", "story"])
def test_same_spans_as_the_full_alternation(installed, level) -> None:
    p = getattr(installed, level)
    assert p is not None and len(p.alternatives) > 10
    texts = _texts(p, seed=11, n=1200)
    hits = 0
    for text in texts:
        expected = _full_spans(p, text)
        assert p.spans(text) == expected, text
        assert bool(p.search(text)) == bool(expected)
        hits += bool(expected)
    assert hits > 200  # the texts do exercise the phrases


def test_characters_that_fold_onto_ascii_go_to_the_full_regex() -> None:
    d = parse_discards("SKI\nIRAQI FIELD\n")
    for text in ("\u017fki jumping", "a \u212aIWI", "\u0131raqi field trip", "ski", "iraqi field"):
        assert d.sentence.spans(text) == _full_spans(d.sentence, text), text
    assert d.sentence.spans("\u017fki jumping") == [(0, 3)]  # re folds the long s onto s


def test_no_candidate_means_no_match() -> None:
    d = parse_discards("BASEBALL\nYEARS AGO\n")
    assert d.sentence.spans("Putin met Xi in Samarkand") == []
    assert d.sentence.search("nothing here") is None

"""PETRARCH discard lists: story- and sentence-level phrases, stems, years."""

from __future__ import annotations

from streams.codebook.discards import load_discards, parse_discards

SNIPPET = """
# Story-level discards are indicated with a '+'.
+ESPN2
+WORLD GOLF CHAMPIONSHIPS   # pas 26-Feb-2014
BASEBALL
YEARS AGO
ROUND_
1961
"""


def test_story_and_sentence_levels() -> None:
    d = parse_discards(SNIPPET)
    assert d.discards_story("Highlights on espn2 tonight")
    assert d.discards_story("the World  Golf Championships began")
    assert not d.discards_story("baseball")
    assert d.discards_sentence("He played BASEBALL")
    assert d.discards_sentence("baseballs")  # no trailing '_': a stem
    assert d.discards_sentence("the first round of talks")
    assert not d.discards_sentence("a roundabout")  # trailing '_': a whole word
    assert not d.discards_sentence("nothing to see")


def test_bare_years_do_not_discard() -> None:
    d = parse_discards(SNIPPET)
    assert not d.discards_sentence("Tirana split with Moscow in 1961")


def test_match_spans() -> None:
    d = parse_discards(SNIPPET)
    text = "Uganda granted asylum to rebels who entered two years ago."
    ((a, b),) = d.sentence_matches(text)
    assert text[a:b].lower() == "years ago"


def test_bundled_list_loads() -> None:
    d = load_discards()
    assert d.discards_story("Manchester United won")
    assert not d.discards_sentence("Putin met Xi in Samarkand in 2022")

"""Invariants of the cleaner on generated input (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from schemas import CleanArticle, RawArticle
from streams.core.clean import _key, clean_article

# Pieces wire copy is made of, so generated bodies hit the cleaner's rules
# (duplicates, stray commas, doubled punctuation, lone dots, markup) far more
# often than uniformly random text would.
WORDS = st.sampled_from(
    ["Russia", "China", "said", "that", "the", "talks", "met", "in", "Paris", "will", "not", "agree",
     "Share", "this", "article", "Follow", "us", "on", "café", "Ünïcode", "über", "東京", "Москва"]
)  # fmt: skip
PUNCT = st.sampled_from(
    [".", ",", " , ", "“", "”", '"', "'", "’", ".”.", '.".', "..", "...", "?", "!", "—", "-", "(", ")",
     "&amp;", "&#8220;", "<b>", "</b>", "<p>", "</p>", "<br>", "<foo>",
     "\u200b", "\x00", "\t", "\u00a0", "Ã©", "â€™"]
)  # fmt: skip
SEPARATORS = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", "\n.\n", "\n\n.\n\n", " ", "\n \n"])


@st.composite
def wire_sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(WORDS, PUNCT), min_size=1, max_size=14))
    return " ".join(parts) if draw(st.booleans()) else "".join(parts)


@st.composite
def wire_body(draw: st.DrawFn) -> str:
    """Sentences, some repeated verbatim or with an appended/removed full stop, joined by separators."""
    pool = draw(st.lists(wire_sentence(), min_size=1, max_size=6))
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10))
    variants = [
        draw(st.sampled_from([s, s + ".", s.rstrip("."), s.upper(), s.replace(" ", " , ", 1)]))
        for s in chosen
    ]
    seps = draw(st.lists(SEPARATORS, min_size=len(variants), max_size=len(variants)))
    return "".join(v + sep for v, sep in zip(variants, seps, strict=True))


ANY_TEXT = st.text(max_size=400)
BODIES = st.one_of(wire_body(), ANY_TEXT)
TITLES = st.one_of(wire_sentence(), st.text(max_size=80), st.just(""))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _counts(c: CleanArticle) -> dict[str, int]:
    return c.removed.model_dump(exclude={"details"})


@SETTINGS
@given(title=TITLES, body=BODIES)
def test_never_raises_and_output_is_consistent(title: str, body: str) -> None:
    c = clean_article(RawArticle(id="p", title=title, body=body))
    assert c.text == "\n\n".join(c.paragraphs)
    assert all(p and p == p.strip() and "\n" not in p for p in c.paragraphs)
    assert len({_key(p) for p in c.paragraphs}) == len(c.paragraphs)  # unique even loosely compared
    assert len(set(c.paragraphs)) == len(c.paragraphs)
    assert c.codable == bool(c.paragraphs) or c.skip_reason is not None
    CleanArticle.model_validate_json(c.model_dump_json())  # serialisable: no lone surrogates etc.


@SETTINGS
@given(title=TITLES, body=BODIES)
# ftfy once decoded a line by its neighbour's encoding; the neighbour, a near-duplicate, was gone
# on the second pass and the line decoded differently
@example(title="", body="theRussia\u201d\u00c3\u00a9China\n.theRussia.\u00c3\u00a9China\n")
# a NEL ("\x85") split a mojibake sequence into two lines; joined into one paragraph it was
# decoded only by the second pass
@example(title="", body="\u00e1\x80\x85a")
def test_idempotent(title: str, body: str) -> None:
    once = clean_article(RawArticle(id="p", title=title, body=body))
    twice = clean_article(RawArticle(id="p", title=once.title, body=once.text))
    assert twice.title == once.title
    assert twice.paragraphs == once.paragraphs
    assert twice.text == once.text
    assert set(_counts(twice).values()) == {0}, twice.removed.details
    assert twice.removed.details == []


@settings(max_examples=60, deadline=None)
@given(body=wire_body(), cap=st.integers(min_value=1, max_value=300))
def test_cap_respected_and_never_raises(body: str, cap: int) -> None:
    c = clean_article(RawArticle(id="p", body=body * 5), max_chars=cap)
    assert len(c.text) <= cap
    assert c.text == "\n\n".join(c.paragraphs)


@settings(max_examples=100, deadline=None)
@given(sentences=st.lists(wire_sentence(), min_size=1, max_size=5), copies=st.integers(2, 4))
def test_repeating_the_whole_body_changes_nothing(sentences: list[str], copies: int) -> None:
    body = "\n\n".join(sentences)
    assume("<" not in body)  # in HTML, blank lines are layout: a repeat may join onto the previous line
    single = clean_article(RawArticle(id="p", body=body))
    repeated = clean_article(RawArticle(id="p", body="\n\n".join([body] * copies)))
    assert repeated.paragraphs == single.paragraphs

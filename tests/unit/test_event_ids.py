"""Event ids and merging, on hand-built parses (no model): deterministic, one event per
(dyad, root, date) with every mention as evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hand_parsed import hand_parsed
from spacy.tokens import Doc

from schemas.articles import CleanArticle
from schemas.events import Actor
from streams.codebook import load_codebook
from streams.core.classify import classify, event_id
from streams.core.mentions import ActorMention, DateMention, Mentions


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def _doc(sentences: list[list[tuple[str, str, str, int, str]]]) -> Doc:
    """Sentences of (word, lemma, pos, head offset within the sentence, dep)."""
    return hand_parsed(sentences, ("word", "lemma", "pos", "head", "dep"))


MET = [
    ("Putin", "Putin", "PROPN", 1, "nsubj"),
    ("met", "meet", "VERB", 1, "ROOT"),
    ("Xi", "Xi", "PROPN", 1, "dobj"),
    (".", ".", "PUNCT", 1, "punct"),
]


def _actor(doc: Doc, i: int, code: str, country: str) -> ActorMention:
    tok = doc[i]
    return ActorMention(
        tok.idx, tok.idx + len(tok), tok.text, Actor(text=tok.text, code=code, country=country), i, i + 1
    )


def _clean(doc: Doc) -> CleanArticle:
    return CleanArticle(
        article_id="a1",
        title="t",
        paragraphs=[doc.text],
        text=doc.text,
        published_at=datetime(2022, 9, 20, tzinfo=UTC),
    )


def test_event_id_is_a_stable_hash_of_its_parts() -> None:
    a = event_id("a1", "RUSGOV", "CHNGOV", "040", "2022-09-19", "v1")
    assert a == event_id("a1", "RUSGOV", "CHNGOV", "040", "2022-09-19", "v1")
    assert len(a) == 32 and int(a, 16) >= 0
    others = {
        event_id("a2", "RUSGOV", "CHNGOV", "040", "2022-09-19", "v1"),
        event_id("a1", "CHNGOV", "RUSGOV", "040", "2022-09-19", "v1"),
        event_id("a1", "RUSGOV", "CHNGOV", "043", "2022-09-19", "v1"),
        event_id("a1", "RUSGOV", "CHNGOV", "040", "2022-09-18", "v1"),
        event_id("a1", "RUSGOV", "CHNGOV", "040", "2022-09-19", "v2"),
    }
    assert a not in others and len(others) == 5


def test_classify_twice_gives_the_same_ids(codebook) -> None:
    doc = _doc([MET])
    mentions = Mentions(actors=(_actor(doc, 0, "RUSGOV", "RUS"), _actor(doc, 2, "CHNGOV", "CHN")))
    first = classify(doc, mentions, codebook=codebook, clean=_clean(doc), coder_version="v1")
    second = classify(doc, mentions, codebook=codebook, clean=_clean(doc), coder_version="v1")
    assert [e.event_id for e in first] == [e.event_id for e in second]
    assert [e.model_dump() for e in first] == [e.model_dump() for e in second]
    (event,) = [e for e in first if e.source.code == "RUSGOV"]
    assert event.target.code == "CHNGOV"
    assert event.cameo.code == "040" and event.cameo.quad_class == 1
    assert event.plover.event == "CONSULT"
    assert event.event_date == date(2022, 9, 20)  # no date in the text: the article's
    assert event.evidence[0].text == "Putin met Xi ." and event.evidence[0].trigger == "met"
    other = classify(doc, mentions, codebook=codebook, clean=_clean(doc), coder_version="v2")
    assert {e.event_id for e in other}.isdisjoint({e.event_id for e in first})


def test_one_event_reported_twice_is_one_event_with_two_mentions(codebook) -> None:
    doc = _doc([MET, MET])
    actors = tuple(
        _actor(doc, i, code, code[:3])
        for i, code in ((0, "RUSGOV"), (2, "CHNGOV"), (4, "RUSGOV"), (6, "CHNGOV"))
    )
    events = classify(doc, Mentions(actors=actors), codebook=codebook, clean=_clean(doc), coder_version="v1")
    forward = [e for e in events if (e.source.code, e.target.code) == ("RUSGOV", "CHNGOV")]
    assert len(forward) == 1
    assert [(ev.start, ev.end) for ev in forward[0].evidence] == [(0, 14), (15, 29)]
    assert len({e.event_id for e in events}) == len(events)


def test_different_dates_are_different_events(codebook) -> None:
    doc = _doc([MET, MET])
    actors = tuple(
        _actor(doc, i, code, code[:3])
        for i, code in ((0, "RUSGOV"), (2, "CHNGOV"), (4, "RUSGOV"), (6, "CHNGOV"))
    )
    dates = (
        DateMention(doc[1].idx, doc[1].idx + 3, "met", date(2022, 9, 1)),
        DateMention(doc[5].idx, doc[5].idx + 3, "met", date(2022, 9, 5)),
    )
    events = classify(
        doc, Mentions(actors=actors, dates=dates), codebook=codebook, clean=_clean(doc), coder_version="v1"
    )
    forward = sorted(str(e.event_date) for e in events if e.source.code == "RUSGOV")
    assert forward == ["2022-09-01", "2022-09-05"]


def test_an_undated_retelling_is_the_dated_act(codebook) -> None:
    # issue 17: the same dyad and root told again without a date is the same act
    doc = _doc([MET, MET])
    actors = tuple(
        _actor(doc, i, code, code[:3])
        for i, code in ((0, "RUSGOV"), (2, "CHNGOV"), (4, "RUSGOV"), (6, "CHNGOV"))
    )
    dates = (DateMention(doc[5].idx, doc[5].idx + 3, "met", date(2022, 9, 1)),)
    events = classify(
        doc, Mentions(actors=actors, dates=dates), codebook=codebook, clean=_clean(doc), coder_version="v1"
    )
    forward = [e for e in events if e.source.code == "RUSGOV"]
    assert [str(e.event_date) for e in forward] == ["2022-09-01"]
    assert len(forward[0].evidence) == 2 and forward[0].event_date_provenance == "relative"


REPORTS = [
    ("Xinhua", "Xinhua", "PROPN", 1, "nsubj"),
    ("reports", "report", "VERB", 1, "ROOT"),
    ("Putin", "Putin", "PROPN", 3, "nsubj"),
    ("met", "meet", "VERB", 1, "ccomp"),
    ("Xi", "Xi", "PROPN", 3, "dobj"),
    (".", ".", "PUNCT", 1, "punct"),
]


def test_media_never_act_in_the_stream(codebook) -> None:
    doc = _doc([MET])
    mentions = Mentions(actors=(_actor(doc, 0, "MED", None), _actor(doc, 2, "CHNGOV", "CHN")))
    assert classify(doc, mentions, codebook=codebook, clean=_clean(doc), coder_version="v1") == []


def test_an_outlet_reporting_is_a_frame_not_an_actor(codebook) -> None:
    doc = _doc([REPORTS])
    actors = (_actor(doc, 0, "MED", None), _actor(doc, 2, "RUSGOV", "RUS"), _actor(doc, 4, "CHNGOV", "CHN"))
    events = classify(doc, Mentions(actors=actors), codebook=codebook, clean=_clean(doc), coder_version="v1")
    assert events, "the reported meeting is an event"
    assert all(e.source.code != "MED" and (e.target is None or e.target.code != "MED") for e in events)
    assert any(
        e.source.code == "RUSGOV" and e.target.code == "CHNGOV" and e.cameo.root == "04" for e in events
    )

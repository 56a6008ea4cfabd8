"""The actors' side of the relevance gate (streams.core.relevance): pure, on hand-made mentions."""

from __future__ import annotations

import pytest

from schemas.events import Actor
from streams.core.mentions import ActorMention
from streams.core.relevance import admissible, kind, sectors, self_dyad


def mention(
    text: str,
    code: str | None,
    *,
    country: str | None = None,
    sector: str | None = None,
    how: str = "dictionary",
    name: str | None = None,
    at: int = 0,
) -> ActorMention:
    actor = Actor(text=text, code=code, country=country, sector=sector, name=name)
    return ActorMention(
        start=at, end=at + len(text), text=text, actor=actor, token_start=at, token_end=at + 1, how=how
    )


RUSSIA = mention("Russia", "RUS", country="RUS")
CHINA = mention("China", "CHN", country="CHN", at=20)
POLICE = mention("police", "FRACOP", country="FRA", sector="COP", how="generic")
WORKERS = mention("workers", "ARGLAB", country="ARG", sector="LAB", how="generic")
ACADEMIC = mention("a top academic", "GBREDU", country="GBR", sector="EDU", how="agent")
GOODS = mention("Chinese goods", "CHN", country="CHN", how="modifier", at=30)
STRANGER = mention("Felipe Chapman", None, how="entity", at=40)
GUNMAN = mention("a gunman", "USACRM", country="USA", sector="CRM", how="generic")


def test_sectors_split_codes_in_threes():
    assert sectors("USAGOVMIL") == ["USA", "GOV", "MIL"]
    assert sectors("---COP") == ["---", "COP"]
    assert sectors(None) == []


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (RUSSIA, "state"),
        (POLICE, "political"),
        (WORKERS, "collective"),
        (ACADEMIC, "other"),
        (GOODS, "other"),
        (STRANGER, "other"),
        (GUNMAN, "criminal"),
        (None, "none"),
    ],
)
def test_kinds(m, expected):
    assert kind(m) == expected


def test_a_state_acting_on_a_state_is_an_event():
    assert admissible("11", RUSSIA, CHINA)


def test_an_analyst_or_an_unknown_person_is_not_a_political_actor():
    assert not admissible("10", ACADEMIC, RUSSIA)
    assert not admissible("11", STRANGER, RUSSIA, reliable=True)


def test_a_target_is_needed_unless_the_type_is_complete_without_one():
    assert not admissible("04", RUSSIA, None)  # a meeting with no one
    assert admissible("09", RUSSIA, None)  # opened an investigation
    assert admissible("12", RUSSIA, None, reliable=True)  # "rejected the referendum"
    assert not admissible("12", RUSSIA, None, reliable=False)


def test_collectives_dissent_without_a_named_target_but_do_not_cooperate():
    assert admissible("14", WORKERS, None)
    assert admissible("12", WORKERS, None)  # "will not end the strike"
    assert not admissible("03", WORKERS, None)


def test_violence_needs_an_author_who_is_not_a_private_party():
    assert admissible("19", POLICE, WORKERS)
    assert admissible("18", GUNMAN, WORKERS)
    assert not admissible("19", ACADEMIC, WORKERS)


def test_a_state_that_only_qualifies_a_thing_is_a_target_but_never_a_source():
    assert admissible("16", RUSSIA, GOODS)
    assert not admissible("16", GOODS, RUSSIA)


def test_self_dyads():
    paris = mention("Paris", "FRA", country="FRA")
    hollande = mention("Hollande", "FRAGOV", country="FRA", sector="GOV", name="FRANCOIS_HOLLANDE", at=10)
    white_house = mention("The White House", "USAGOV", country="USA", sector="GOV")
    trump = mention("Trump", "USAGOV", country="USA", sector="GOV", name="DONALD_TRUMP", at=30)
    assert self_dyad(hollande, paris, "04")  # "Hollande returned to Paris" is no visit
    assert not self_dyad(hollande, paris, "17")  # a curfew in one's own capital is domestic
    assert not self_dyad(white_house, trump, "05")  # the same code, two parties
    assert self_dyad(trump, trump, "11")
    assert not admissible("04", hollande, paris)

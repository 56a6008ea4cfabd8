"""PETRARCH-2 agent dictionary (generic nouns → sector codes) and nationality adjectives."""

from __future__ import annotations

import pytest

from streams.codebook.agents import (
    Agent,
    AgentDictionary,
    DictionaryFormatError,
    load_agent_dictionary,
    load_nationalities,
    parse_agent_lines,
    parse_nationalities,
)

SNIPPET = """\
<!-- PETRARCH VALIDATION SUITE AGENTS DICTIONARY -->
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
!MINST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES

PRESIDENT [~GOV] # ns 6/26/01
POLICE {} [ ~COP] # JON 2/8/95
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
GOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]
AUTHORITY  [~GOV]
BUS [~BUS]
CONGRESS!PERSON! [~LEG]
!MINST!_OF_SILLY_WALKS [~GOV]
HUMAN_RIGHTS_BODY  [NGO~]
HUMAN_RIGHTS_ORGANIZATION  [  NGO~]
FOREIGN_MINISTER [~GOVFRM]
"""


@pytest.fixture(scope="module")
def agents() -> AgentDictionary:
    return AgentDictionary(parse_agent_lines(SNIPPET.splitlines()))


@pytest.mark.parametrize(
    "phrase, code",
    [
        ("president", "GOV"),
        ("Presidents", "GOV"),  # regular plural generated
        ("authorities", "GOV"),  # Y → IES
        ("buses", "BUS"),  # S → SES
        ("police", "COP"),
        ("attorneys general", "GOV"),  # the irregular plural given in {...}
        ("golden geese", "GGS"),
        ("congresswomen", "LEG"),  # substitution set
        ("ministries of silly walks", "GOV"),
        ("foreign minister", "GOVFRM"),
    ],
)
def test_forms(agents, phrase, code):
    agent = agents.get(phrase)
    assert agent is not None and agent.code == code


def test_no_plural_when_braces_are_empty(agents):
    assert agents.get("polices") is None
    assert agents.get("golden gooses") is None  # the given plural replaces the regular one


def test_prefix_and_suffix_codes(agents):
    body = agents.get("human rights body")
    assert body.prefix and body.code == "NGO"
    assert agents.get("human rights organizations").prefix
    assert body.apply("CHN") == "NGOCHN"
    president = agents.get("president")
    assert not president.prefix
    assert president.apply("CHN") == "CHNGOV"
    assert president.apply("CHNGOV") == "CHNGOV"  # not doubled
    assert president.apply(None) == "GOV"
    assert president.sector == "GOV"


def test_longest_agent_match(agents):
    found = agents.find_all(["the", "Foreign", "Minister", "of", "Gondor"])
    assert [(m.start, m.end, m.agent.code) for m in found] == [(1, 3, "GOVFRM")]


def test_lines_without_code_or_with_unknown_marker_are_reported():
    problems: list[str] = []
    pairs = parse_agent_lines(
        ["GOVERNMENT [~GOV]", "NOCODE", "!NOPE!_THING [~GOV]", "BAD [~1]"], problems=problems
    )
    assert {k for k, _ in pairs} == {("GOVERNMENT",), ("GOVERNMENTS",)}
    assert len(problems) == 3
    with pytest.raises(DictionaryFormatError):
        parse_agent_lines(["NOCODE"])


def test_bundled_phoenix_agents_with_wirewatch_additions():
    agents = load_agent_dictionary()
    assert agents.get("security council").code == "GOV"
    assert agents.get("foreign ministry").code == "GOV"
    assert agents.get("government").code == "GOV"
    assert agents.get("troops").code == "MIL"
    # additions the 2014 list lacks, read after it
    assert agents.get("official").code == "GOV"
    assert agents.get("top officials").code == "GOV"
    assert agents.get("Communist Party").code == "PTY"
    assert agents.get("foreign ministry spokesperson").code == "GOV"


def test_nationalities():
    table = parse_nationalities(
        [["nationality", "alpha_3_code"], ["Chinese", "CHN"], ["Azeri", " AZE"], ["Bad", "XX"]]
    )
    assert table == {"CHINESE": "CHN", "AZERI": "AZE"}
    bundled = load_nationalities()
    assert bundled["RUSSIAN"] == "RUS"
    assert bundled["CHINESE"] == "CHN"
    assert bundled["UZBEK"] == "UZB"


def test_agent_is_frozen():
    a = Agent("GOV")
    with pytest.raises(AttributeError):
        a.code = "MIL"  # type: ignore[misc]

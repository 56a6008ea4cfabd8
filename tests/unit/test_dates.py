"""Date expressions resolved against a fixed publication time (no model needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import DateRange
from streams.core.dates import provenance, resolve_date

PUBLISHED = datetime(2022, 9, 20, 9, 30, tzinfo=UTC)  # a Tuesday


def rng(a: str, b: str) -> tuple[date, date]:
    return date.fromisoformat(a), date.fromisoformat(b)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("September 19", date(2022, 9, 19)),
        ("Sept. 15", date(2022, 9, 15)),
        ("19 September 2022", date(2022, 9, 19)),
        ("the 15th of September", date(2022, 9, 15)),
        ("March 3, 2021", date(2021, 3, 3)),
        ("2022-09-19", date(2022, 9, 19)),
        ("yesterday", date(2022, 9, 19)),
        ("today", date(2022, 9, 20)),
        ("last night", date(2022, 9, 19)),
        ("on Monday", date(2022, 9, 19)),
        ("Friday night", date(2022, 9, 16)),
        ("Tuesday", date(2022, 9, 20)),  # a Tuesday story's "Tuesday" is that day
        ("last Tuesday", date(2022, 9, 13)),
        ("two days ago", date(2022, 9, 18)),
        ("December 28", date(2021, 12, 28)),  # would be in the future: last year's
    ],
)
def test_single_days(text, expected):
    assert resolve_date(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Last week", rng("2022-09-12", "2022-09-18")),  # Monday to Sunday of the week before
        ("this week", rng("2022-09-19", "2022-09-20")),
        ("the past week", rng("2022-09-13", "2022-09-20")),
        ("last month", rng("2022-08-01", "2022-08-31")),
        ("September 2022", rng("2022-09-01", "2022-09-20")),  # an event's month ends at publication
        ("Sept 15-16", rng("2022-09-15", "2022-09-16")),
        ("mid-September", rng("2022-09-11", "2022-09-20")),
        ("over the weekend", rng("2022-09-17", "2022-09-18")),
        ("last year", rng("2021-01-01", "2021-12-31")),
        ("2014", rng("2014-01-01", "2014-12-31")),
        ("the 1990s", rng("1990-01-01", "1999-12-31")),
    ],
)
def test_ranges(text, expected):
    value = resolve_date(text, PUBLISHED)
    assert isinstance(value, DateRange)
    assert (value.start, value.end) == expected
    assert value.text == text


def test_seed_last_week_covers_the_samarkand_summit():
    value = resolve_date("Last week", PUBLISHED)
    assert value.start <= date(2022, 9, 15) and date(2022, 9, 16) <= value.end


@pytest.mark.parametrize("text", ["almost seven months", "three years", "for two weeks", "", "next week"])
def test_durations_and_future_are_not_dates(text):
    assert resolve_date(text, PUBLISHED) is None


def test_relative_needs_a_publication_date():
    for text in ("last week", "yesterday", "on Monday", "September 19", "two days ago"):
        assert resolve_date(text, None) is None
    # absolute dates do not
    assert resolve_date("19 September 2022", None) == date(2022, 9, 19)
    assert resolve_date("2022-09-19", None) == date(2022, 9, 19)


def test_a_date_object_works_as_reference():
    assert resolve_date("yesterday", date(2022, 3, 1)) == date(2022, 2, 28)


def test_dateparser_fallback_is_sanity_checked():
    # not covered by the rules; dateparser reads it against the publication time
    assert resolve_date("Sept. 19th, 2022 at noon", PUBLISHED) == date(2022, 9, 19)
    # a reading that dateparser can only guess at is refused
    assert resolve_date("the early days", PUBLISHED) is None


@pytest.mark.parametrize("text", ["21", "(10)", "the 21"])
def test_bare_numbers_are_not_dates(text):
    assert resolve_date(text, PUBLISHED) is None


def test_numeric_dates_go_to_dateparser():
    assert resolve_date("19/09/2022", PUBLISHED) == date(2022, 9, 19)


def test_weekday_before_a_date_is_dropped():
    assert resolve_date("Saturday, September 17", PUBLISHED) == date(2022, 9, 17)
    assert resolve_date("Monday 19 September 2022", PUBLISHED) == date(2022, 9, 19)


def test_the_weekday_after_publication_is_last_week_s():
    # the publication day handed in is already the article's local one
    # (streams.core.when.local_publication_date), so no time-zone skew is guessed at
    assert resolve_date("Wednesday", PUBLISHED) == date(2022, 9, 14)  # the story is dated Tuesday
    assert resolve_date("last Wednesday", PUBLISHED) == date(2022, 9, 14)


_PIECES = st.sampled_from(
    [
        "0",
        "1",
        "9",
        "12",
        "2022",
        " ",
        "-",
        "/",
        ".",
        ",",
        "Sept",
        "May",
        "Monday",
        "last",
        "week",
        "ago",
        "the",
        "mid",
        "of",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_never_raises(text):
    value = resolve_date(text, PUBLISHED)
    assert value is None or isinstance(value, (date, DateRange))


def test_a_weekday_is_never_after_publication():
    # "Sunday" in a Saturday story is six days before, not the day after (issue 17)
    saturday = date(2022, 9, 24)
    assert resolve_date("on Sunday", saturday) == date(2022, 9, 18)
    assert resolve_date("Saturday", saturday) == saturday


def test_a_range_running_past_publication_ends_with_it():
    value = resolve_date("this year", date(2022, 9, 20))
    assert (value.start, value.end) == rng("2022-01-01", "2022-09-20")
    assert resolve_date("tomorrow", date(2022, 9, 20)) is None


@pytest.mark.parametrize(
    "text, kind",
    [
        ("September 19", "explicit"),
        ("19 September 2022", "explicit"),
        ("2017", "explicit"),
        ("Sept. 15", "explicit"),
        ("2022-09-19", "explicit"),
        ("March", "explicit"),
        ("on Sunday", "relative"),
        ("last week", "relative"),
        ("two days ago", "relative"),
        ("yesterday", "relative"),
        ("earlier this month", "relative"),
        ("Friday night", "relative"),
    ],
)
def test_provenance_tells_written_dates_from_relative_ones(text, kind):
    assert provenance(text) == kind


def test_a_day_of_last_year_and_schedules():
    ref = date(2017, 10, 3)
    assert resolve_date("June 12 last year", ref) == date(2016, 6, 12)
    march = resolve_date("March this year", ref)
    assert (march.start, march.end) == rng("2017-03-01", "2017-03-31")
    for text in ("later Sunday", "next Friday", "the coming days"):
        assert resolve_date(text, ref) is None


def test_a_month_of_last_year():
    may = resolve_date("May of last year", date(2018, 1, 1))
    assert (may.start, may.end) == rng("2017-05-01", "2017-05-31")

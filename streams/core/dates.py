"""Date expressions → dates or ranges, against the article's publication time. Pure.

Rules first (they are exact and fast): "today", "yesterday", weekdays, "last week"
(Monday–Sunday of the week before), "this week", "last month", "N days ago", "September
19", "19 September 2022", "September 2022", ISO dates, bare years. What the rules do not
know goes to ``dateparser`` (slow, a few milliseconds a call, so only for leftovers) with
the publication time as ``RELATIVE_BASE`` and past dates preferred.

A relative expression without a publication time resolves to nothing; so does a duration
("almost seven months") or anything after the publication date, which is a schedule
rather than an event date (the publication date handed in is the article's local one:
:func:`streams.core.when.local_publication_date`). :func:`provenance` tells a date written
out ("September 19", "2017": ``explicit``) from one read against the publication date
("on Sunday", "last week": ``relative``).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from schemas.events import DateRange

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
    "a few": 3,
    "several": 3,
    "couple of": 2,
    "a couple of": 2,
}

_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_NUM = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten"
_UNITS = r"(?:days?|weeks?|months?|years?|hours?|decades?)"
_MONTH_DAY = re.compile(rf"^{_MON}\s+{_DAY}(?:\s*,?\s*{_YEAR})?$")
_DAY_MONTH = re.compile(rf"^(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?:\s*,?\s*{_YEAR})?$")
_MONTH_YEAR = re.compile(rf"^(?:in\s+)?{_MON}(?:\s*,?\s*(?:of\s+)?{_YEAR})?$")
_MONTH_DAYS = re.compile(
    rf"^{_MON}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and)\s*"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,?\s*{_YEAR})?$"
)
_PART_MONTH = re.compile(rf"^(?P<part>early|mid|late)[\s-]+{_MON}(?:\s*,?\s*{_YEAR})?$")
_DECADE = re.compile(r"^(?:the\s+)?(?P<decade>(?:19|20)\d0)'?s$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})$")
_YEAR_ONLY = re.compile(r"^(?:in\s+)?(?:the\s+year\s+)?(?P<year>(?:19|20)\d{2})$")
_AGO = re.compile(
    rf"^(?P<n>{_NUM}|a|an|a few|several|a couple of|couple of)\s+(?P<unit>day|week|month|year)s?\s+ago$"
)
_PAST_N = re.compile(
    rf"^(?:the\s+)?(?:past|last|previous)\s+(?P<n>{_NUM}|few|several|couple of)\s+(?P<unit>day|week|month)s$"
)
_WEEKDAY = re.compile(
    r"^(?:(?P<rel>last|this|on|past|earlier\s+on|late|early)\s+)?"
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?$"
)
_DURATION = re.compile(
    rf"\b(?:for|almost|nearly|about|around|over|more than|less than|up to|some)\b.*\b{_UNITS}\b$"
    rf"|^\d+\s+{_UNITS}$"
    rf"|^(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)\s+{_UNITS}$"
)

DateValue = date | DateRange


def _normalize(text: str) -> str:
    text = text.strip().lower().replace("\u2019", "'")
    text = re.sub(r"[\s\u00a0]+", " ", text)
    text = re.sub(r"^(?:on|since|by|from|until|in|during|earlier|over|at)\s+(?=\w)", "", text)
    text = re.sub(r"^the\s+(?=(?:past|last|previous|first|\d))", "", text)
    # "Saturday, September 16": the date carries the day; the weekday adds nothing
    text = re.sub(
        r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?=(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
        "",
        text,
    )
    return text.strip(" ,.;:")


def _range(start: date, end: date, text: str) -> DateRange:
    return DateRange(start=start, end=end, text=text)


def _month_range(year: int, month: int, text: str) -> DateRange:
    return _range(date(year, month, 1), date(year, month, monthrange(year, month)[1]), text)


def _shift_months(d: date, months: int) -> tuple[int, int]:
    m = d.year * 12 + (d.month - 1) + months
    return m // 12, m % 12 + 1


def _infer_year(month: int, day: int | None, ref: date | None) -> int | None:
    """The year of a month(-day) without one: the publication year, or the year before
    if that would put it more than a week after publication (a January story about
    "December 28")."""
    if ref is None:
        return None
    year = ref.year
    try:
        candidate = date(year, month, day or 1)
    except ValueError:
        return None
    if candidate > ref + timedelta(days=7):
        year -= 1
    return year


def resolve_date(text: str, published_at: datetime | date | None) -> DateValue | None:
    """Resolve a date expression (a spaCy DATE entity's text) against ``published_at``."""
    original = text.strip()
    t = _normalize(original)
    if not t:
        return None
    ref: date | None
    if isinstance(published_at, datetime):
        ref = published_at.date()
    else:
        ref = published_at
    if _SCHEDULE.match(t):
        return None  # "later Sunday", "next Friday", "the coming days": a schedule, not a date
    m = _OF_YEAR.match(t)
    if m and ref is not None and m["head"]:
        # "June 12 last year", "March this year": the expression with its year written out
        year = ref.year - 1 if m["which"] == "last" else ref.year
        t = f"{m['head']} {year}"
    value = _rules(t, original, ref)
    if value is _UNRESOLVED:
        value = _dateparser(original, published_at)
    if value is None or value is _UNRESOLVED:
        return None
    # an event date after publication is a schedule, not what happened; a range that runs
    # on past it ("this week" of a Wednesday story) ends with it
    if ref is not None:
        start = value.start if isinstance(value, DateRange) else value
        if start > ref:
            return None
        if isinstance(value, DateRange) and value.end > ref:
            value = _range(value.start, ref, value.text or original)
    return value


_ABSOLUTE = re.compile(
    r"\b(?:19|20)\d{2}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|^(?:(?:early|mid|late)[\s-]+)?(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$",
    re.I,
)


_RELATIVE_WORDS = re.compile(
    r"\b(?:ago|last|this|next|past|previous|yesterday|today|tonight|tomorrow|recent|weekend)\b"
)


def provenance(text: str) -> str:
    """``explicit`` for a date written out ("September 19", "19 Sept 2022", "2017",
    "March"), ``relative`` for one that needs the publication date ("on Sunday",
    "last week", "two days ago", "yesterday")."""
    t = _normalize(text)
    if _RELATIVE_WORDS.search(t):
        return "relative"
    if _ABSOLUTE.search(t):
        return "explicit"
    return "relative"


_SCHEDULE = re.compile(r"^(?:later|next|coming|the coming|upcoming|the next)\b")
_OF_YEAR = re.compile(r"^(?P<head>.*?\S)(?:\s+of)?\s*,?\s+(?P<which>last|this) year$")


class _Unresolved:
    pass


_UNRESOLVED = _Unresolved()


def _rules(t: str, original: str, ref: date | None):  # noqa: C901 - one flat table of cases
    m = _ISO.match(t)
    if m:
        try:
            return date(int(m["year"]), int(m["mon"]), int(m["day"]))
        except ValueError:
            return None
    for rx in (_MONTH_DAY, _DAY_MONTH):
        m = rx.match(t)
        if m:
            month = MONTHS[m["mon"].rstrip(".")]
            day = int(m["day"])
            year = int(m["year"]) if m["year"] else _infer_year(month, day, ref)
            if year is None:
                return None
            try:
                return date(year, month, day)
            except ValueError:
                return None
    m = _MONTH_DAYS.match(t)
    if m:
        month = MONTHS[m["mon"].rstrip(".")]
        d1, d2 = int(m["d1"]), int(m["d2"])
        year = int(m["year"]) if m["year"] else _infer_year(month, d1, ref)
        if year is None:
            return None
        try:
            return _range(date(year, month, d1), date(year, month, d2), original)
        except ValueError:
            return None
    m = _PART_MONTH.match(t)
    if m:
        month = MONTHS[m["mon"].rstrip(".")]
        year = int(m["year"]) if m["year"] else _infer_year(month, 1, ref)
        if year is None:
            return None
        last = monthrange(year, month)[1]
        a, b = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[m["part"]]
        return _range(date(year, month, a), date(year, month, b), original)
    m = _DECADE.match(t)
    if m:
        y = int(m["decade"])
        return _range(date(y, 1, 1), date(y + 9, 12, 31), original)
    m = _MONTH_YEAR.match(t)
    if m:
        month = MONTHS[m["mon"].rstrip(".")]
        year = int(m["year"]) if m["year"] else _infer_year(month, None, ref)
        return None if year is None else _month_range(year, month, original)
    m = _YEAR_ONLY.match(t)
    if m:
        y = int(m["year"])
        return _range(date(y, 1, 1), date(y, 12, 31), original)
    if _DURATION.search(t):
        return None
    # everything below is relative to the publication date
    relative = (
        t
        in (
            "today",
            "tonight",
            "this morning",
            "this afternoon",
            "this evening",
            "yesterday",
            "tomorrow",
            "last night",
            "this week",
            "last week",
            "this month",
            "last month",
            "this year",
            "last year",
            "past week",
            "recent days",
            "the weekend",
            "this weekend",
            "last weekend",
            "earlier this week",
            "earlier this month",
            "earlier this year",
            "previous week",
            "the previous week",
            "next week",
        )
        or _AGO.match(t)
        or _PAST_N.match(t)
        or _WEEKDAY.match(t)
    )
    if relative and ref is None:
        return None
    if ref is None:
        return _UNRESOLVED
    if t in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return ref
    if t in ("yesterday", "last night"):
        return ref - timedelta(days=1)
    if t == "tomorrow":
        return ref + timedelta(days=1)
    monday = ref - timedelta(days=ref.weekday())
    if t in ("last week", "previous week", "the previous week"):
        return _range(monday - timedelta(days=7), monday - timedelta(days=1), original)
    if t in ("this week", "earlier this week"):
        return _range(monday, ref, original)
    if t in ("past week", "recent days"):
        return _range(ref - timedelta(days=7), ref, original)
    if t in ("this weekend", "the weekend", "last weekend"):
        # the weekend just gone (or under way)
        sat = ref - timedelta(days=(ref.weekday() - 5) % 7)
        return _range(sat, min(sat + timedelta(days=1), ref), original)
    if t in ("this month", "earlier this month"):
        return _range(ref.replace(day=1), ref, original)
    if t == "last month":
        y, mo = _shift_months(ref, -1)
        return _month_range(y, mo, original)
    if t in ("this year", "earlier this year"):
        return _range(date(ref.year, 1, 1), ref, original)
    if t == "last year":
        return _range(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), original)
    if t == "next week":
        return None
    m = _WEEKDAY.match(t)
    if m:
        wd = WEEKDAYS[m["wd"]]
        back = (ref.weekday() - wd) % 7
        if m["rel"] == "last" and back == 0:
            back = 7
        # the latest such day on or before the (local) publication date: "on Tuesday" in a
        # Tuesday story is that day, wires report same-day events; "on Sunday" in a
        # Saturday story is six days before, never the day after publication
        return ref - timedelta(days=back)
    m = _AGO.match(t)
    if m:
        n = _count(m["n"])
        unit = m["unit"]
        if unit == "day":
            return ref - timedelta(days=n)
        if unit == "week":
            d = ref - timedelta(days=7 * n)
            return _range(d - timedelta(days=3), d + timedelta(days=3), original)
        if unit == "month":
            y, mo = _shift_months(ref, -n)
            return _month_range(y, mo, original)
        return _range(date(ref.year - n, 1, 1), date(ref.year - n, 12, 31), original)
    m = _PAST_N.match(t)
    if m:
        n = _count(m["n"])
        days = {"day": 1, "week": 7, "month": 30}[m["unit"]] * n
        return _range(ref - timedelta(days=days), ref, original)
    return _UNRESOLVED


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.get(word, 3)


# What dateparser is asked about must name a month, a weekday or a relative day, or be a
# full numeric date: a bare number ("21", a shirt number the tagger called a DATE) is not.
_SIGNAL = re.compile(
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b(?:yesterday|today|tomorrow|ago|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


def _dateparser(text: str, published_at: datetime | date | None) -> DateValue | None:
    """Fallback for expressions the rules do not cover; None when it cannot say."""
    if published_at is None or not _SIGNAL.search(text):
        return None
    import dateparser  # imported late: it takes a moment to import and is rarely needed

    base = (
        published_at
        if isinstance(published_at, datetime)
        else datetime(published_at.year, published_at.month, published_at.day)
    )
    if base.tzinfo is not None:
        base = base.replace(tzinfo=None)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    # dateparser fills what it cannot read from the base date; a year it was not given
    # must therefore be the base year or the one before, or the reading is a guess
    if not re.search(r"\b\d{4}\b", text) and abs(parsed.year - base.year) > 1:
        return None
    return parsed.date()

"""Extract: actors, places, dates and quotations from a parsed clean article. Pure.

``extract(doc, codebook=..., published_at=...)`` reads only ``codebook.actors``,
``.agents``, ``.nationalities`` and ``.places``. Actor resolution is in
:mod:`streams.core.actor_mentions`, date arithmetic in :mod:`streams.core.dates`,
quotations in :mod:`streams.core.quotes`; this module puts them together and adds the
places (GPE/LOC entities geocoded, preferring the countries the article's actors belong
to) and the article's countries (actors and places, most mentioned first).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from streams.core.actor_mentions import find_actor_mentions, source_position
from streams.core.dates import resolve_date
from streams.core.mentions import ActorMention, DateMention, Mentions, PlaceMention
from streams.core.quotes import find_quotes
from streams.core.when import is_stamp

if TYPE_CHECKING:
    from streams.codebook import Codebook

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_DROP_LEADING = ("the ", "The ")


def _article_date(published_at: datetime | date | None) -> date | None:
    if published_at is None:
        return None
    return published_at.date() if isinstance(published_at, datetime) else published_at


def _news_source(tok) -> bool:
    """A place name in a source position that is not a government speaking through its
    capital ("Moscow said" is Russia; "according to Xinhua" is a news agency)."""
    if tok.head.lower_ == "to":  # "according to X" never introduces a capital's statement
        return True
    return tok.lemma_.lower() not in _CAPITAL_LIKE and tok.head.lemma_.lower() in ("report", "quote", "cite")


_CAPITAL_LIKE: frozenset[str] = frozenset()


def find_places(doc: Doc, gazetteer, prefer: Sequence[str]) -> list[PlaceMention]:
    if gazetteer is None:
        return []
    out: list[PlaceMention] = []
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        span = ent
        # "the Shanghai Cooperation", "Russia's": what is named, not its article/possessive
        while len(span) > 1 and (span[0].lower_ == "the" or span[0].is_punct):
            span = span[1:]
        while len(span) > 1 and (span[-1].tag_ == "POS" or span[-1].is_punct):
            span = span[:-1]
        if ent.label_ == "GPE" and source_position(ent.root) and ent.root.ent_iob_ and _news_source(ent.root):
            continue  # "according to Xinhua": an outlet the tagger took for a town
        place = gazetteer.resolve(span.text, prefer=prefer)
        if place is None:
            continue
        out.append(
            PlaceMention(start=span.start_char, end=span.end_char, text=span.text, location=place.location())
        )
    return out


_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")


def find_dates(doc: Doc, published_at: datetime | date | None) -> list[DateMention]:
    out: list[DateMention] = []
    for ent in doc.ents:
        if ent.label_ == "TIME":
            # "late Thursday night", "Sunday morning": the tagger calls the phrase a time of
            # day; its day is the weekday in it
            days = [t for t in ent if _WEEKDAY.fullmatch(t.text)]
            if len(days) != 1:
                continue
            span = doc[days[0].i : days[0].i + 1]
        elif ent.label_ != "DATE":
            continue
        else:
            span = ent
        if "\n" in span.text:  # the tagger ran on across a paragraph break
            span = doc.char_span(
                span.start_char, span.start_char + span.text.index("\n"), alignment_mode="contract"
            )
            if span is None or not span.text.strip():
                continue
        if is_stamp(doc.text, span.start_char, span.end_char):
            continue  # a tweet's, a byline's or an update's stamp dates no act
        value = resolve_date(span.text, published_at)
        if value is None:
            continue
        out.append(DateMention(start=span.start_char, end=span.end_char, text=span.text, value=value))
    return out


def _countries(actors: Sequence[ActorMention], places: Sequence[PlaceMention]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in actors:
        if m.actor.country:
            counts[m.actor.country] += 1
            first.setdefault(m.actor.country, m.start)
    for p in places:
        if p.location.country:
            counts[p.location.country] += 1
            first.setdefault(p.location.country, p.start)
    return tuple(sorted(counts, key=lambda c: (-counts[c], first[c])))


def _placed(actors: Sequence[ActorMention], countries: Sequence[str]) -> list[ActorMention]:
    """Titled people and organisations no dictionary knows (``---GOV``, ``---JUD``) take
    the article's main country: "President Juvenal Habyariman" in a story about Rwanda."""
    if not countries:
        return list(actors)
    out = []
    for m in actors:
        code = m.actor.code or ""
        if m.how == "entity" and code.startswith("---") and len(code) > 3:
            new = countries[0] + code[3:]
            m = replace(m, actor=m.actor.model_copy(update={"code": new, "country": countries[0]}))
        out.append(m)
    return out


def extract(doc: Doc, *, codebook: Codebook, published_at: datetime | date | None) -> Mentions:
    """Every actor, place, date and quotation in ``doc`` (a spaCy Doc of the clean text)."""
    when = _article_date(published_at)
    actors = find_actor_mentions(doc, codebook, when)
    actor_countries = _countries(actors, ())
    actors = _placed(actors, actor_countries)
    places = find_places(doc, codebook.places, actor_countries)
    dates = find_dates(doc, published_at)
    quotes = find_quotes(doc, actors)
    return Mentions(
        actors=tuple(actors),
        places=tuple(places),
        dates=tuple(dates),
        quotes=tuple(quotes),
        countries=_countries(actors, places),
    )
